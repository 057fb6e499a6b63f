import { type ParsedCommandLine, stringValue } from './options';
import { targetRefusals } from './usage-errors';

/** What every AWS client of a command is created with: the region of --region, if given. */
export interface AwsClientConfig {
  readonly region?: string;
}

/** `--region`, checked; without it the SDK's own chain (AWS_REGION, the profile's region) applies. */
export function awsClientConfig(args: ParsedCommandLine): AwsClientConfig {
  const region = stringValue(args, 'region');
  if (region === undefined) return {};
  // Region names: letters, digits and hyphens (us-east-1, eu-central-2, us-gov-west-1).
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region.trim())) {
    throw targetRefusals.notARegion(region);
  }
  return { region: region.trim() };
}

/** --pipeline and --region without --stack would be ignored: say so instead. */
export function requireStackForAwsOptions(args: ParsedCommandLine): void {
  if (stringValue(args, 'stack') !== undefined) return;
  for (const name of ['pipeline', 'region']) {
    if (stringValue(args, name) !== undefined) throw targetRefusals.goesWithStack(name);
  }
}
