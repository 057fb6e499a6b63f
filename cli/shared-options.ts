import { EVENT_TYPES } from '../shared/contracts/event-types';
import type { OptionSpecs } from './options';

/** Options several commands take, defined once so their names and help text agree. */

export const STATE_DIR_OPTION: OptionSpecs = {
  'state-dir': {
    type: 'string',
    value: 'DIR',
    description:
      "Local state folder (default: OP_EVENTS_STATE_DIR, else .local in a clone, the user's data " +
      'folder when installed; status shows it).',
  },
};

export const TYPES_OPTION: OptionSpecs = {
  types: {
    type: 'string',
    value: 'a,b',
    description: `Event types, comma-separated (default: all: ${EVENT_TYPES.join(',')}).`,
  },
};

export const VERBOSE_OPTION: OptionSpecs = {
  verbose: {
    type: 'boolean',
    description: 'Show the details of events in another form than documented (schema drift), type by type.',
  },
};

export const TYPE_OPTION: OptionSpecs = {
  type: { type: 'string', value: 'TYPE', description: `Event type: ${EVENT_TYPES.join(', ')}.` },
};

/** Which pipeline of a stack, and in which region: every command that takes --stack takes these. */
export const AWS_TARGET_OPTIONS: OptionSpecs = {
  pipeline: {
    type: 'string',
    value: 'ID',
    description:
      "With --stack: the pipeline's id (its construct id, or the construct's pipelineId) when the " +
      'stack holds several.',
  },
  region: {
    type: 'string',
    value: 'REGION',
    description:
      'AWS region of the stack or resources (default: AWS_REGION, or the region of your AWS profile).',
  },
};

export const STACK_OPTION: OptionSpecs = {
  stack: {
    type: 'string',
    value: 'NAME',
    description:
      'Use the AWS resources of this deployed stack (its CloudFormation outputs) instead of local state.',
  },
  ...AWS_TARGET_OPTIONS,
};

export const TABLE_OPTIONS: OptionSpecs = {
  table: { type: 'string', value: 'NAME', description: 'DynamoDB cursor table on AWS (instead of --stack).' },
  ...STACK_OPTION,
  ...STATE_DIR_OPTION,
};

export const TOKEN_OPTIONS: OptionSpecs = {
  'secret-id': {
    type: 'string',
    value: 'ID',
    description: 'Read the token from this Secrets Manager secret on AWS (default: OP_EVENTS_TOKEN).',
  },
  ...STACK_OPTION,
  demo: {
    type: 'boolean',
    description: 'Use the local simulator with demo data and a demo token (no 1Password account needed).',
  },
};

export const JSON_OPTION: OptionSpecs = {
  json: { type: 'boolean', description: 'Print the result as JSON, one object per line.' },
};
