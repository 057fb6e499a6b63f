import { describe, expect, it } from 'vitest';
import { commandLine, INSTALL_KIND } from '../../cli/install-kind';
import { defaultStateRoot, PROJECT_ROOT, resolveStateDir, userDataDir } from '../../cli/state-dir';

const linux = { platform: 'linux', home: '/home/ana' } as const;

describe('the default state folder', () => {
  it('is .local in the repository when the CLI runs from a clone (as these tests do)', () => {
    expect(INSTALL_KIND).toBe('clone');
    expect(resolveStateDir(undefined, {}).root).toBe(`${PROJECT_ROOT}/.local`);
  });

  it("is op-events in the user's data folder when installed, XDG_DATA_HOME first", () => {
    expect(defaultStateRoot({}, 'installed', linux)).toBe('/home/ana/.local/share/op-events');
    expect(defaultStateRoot({ XDG_DATA_HOME: '/data/ana' }, 'installed', linux)).toBe('/data/ana/op-events');
    expect(resolveStateDir(undefined, { XDG_DATA_HOME: '/data/ana' }, 'installed', linux).dynamodb).toBe(
      '/data/ana/op-events/dynamodb',
    );
  });

  it('ignores a relative XDG_DATA_HOME, as the XDG Base Directory Specification says', () => {
    expect(userDataDir({ XDG_DATA_HOME: 'data' }, linux)).toBe('/home/ana/.local/share');
  });

  it("uses the platform's application data folder on macOS and Windows", () => {
    expect(userDataDir({}, { platform: 'darwin', home: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support',
    );
    expect(
      userDataDir(
        { LOCALAPPDATA: 'C:/Users/ana/AppData/Local' },
        { platform: 'win32', home: 'C:/Users/ana' },
      ),
    ).toBe('C:/Users/ana/AppData/Local');
  });

  it('gives way to --state-dir and OP_EVENTS_STATE_DIR when installed too', () => {
    expect(resolveStateDir('/tmp/mine', {}, 'installed', linux).root).toBe('/tmp/mine');
    expect(resolveStateDir(undefined, { OP_EVENTS_STATE_DIR: '/tmp/env' }, 'installed', linux).root).toBe(
      '/tmp/env',
    );
  });
});

describe('commands named in messages', () => {
  it('are npm start and npx op-events in a clone', () => {
    expect(commandLine('start', 'clone')).toBe('npm start');
    expect(commandLine('start --state-dir x', 'clone')).toBe('npm start -- --state-dir x');
    expect(commandLine('status', 'clone')).toBe('npx op-events status');
  });

  it('are op-events commands when installed, never npm start', () => {
    expect(commandLine('start --state-dir x', 'installed')).toMatch(/^(npx )?op-events start --state-dir x$/);
  });
});
