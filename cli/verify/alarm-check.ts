import { type CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { type CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { type CheckResult, couldNotCheck, fail, pass, warn } from './check-result';

const ALARM_RESOURCE_TYPES = new Set(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']);

/** DescribeAlarms takes at most 100 names per call (CloudWatch API reference, AlarmNames). */
const NAMES_PER_CALL = 100;

interface AlarmState {
  readonly name: string;
  readonly state: string;
  readonly reason: string | undefined;
}

/** The alarms the stack created (its CloudFormation resources), whatever they are called. */
async function stackAlarmNames(cloudFormation: CloudFormationClient, stackName: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListStackResources({ client: cloudFormation }, { StackName: stackName })) {
    for (const resource of page.StackResourceSummaries ?? []) {
      if (ALARM_RESOURCE_TYPES.has(resource.ResourceType ?? '') && resource.PhysicalResourceId) {
        names.push(resource.PhysicalResourceId);
      }
    }
  }
  return names;
}

async function alarmStates(cloudWatch: CloudWatchClient, names: readonly string[]): Promise<AlarmState[]> {
  const states: AlarmState[] = [];
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    // An answer holds at most MaxRecords alarms (50 unless set; at most 100), so follow NextToken.
    const pages = paginateDescribeAlarms(
      { client: cloudWatch },
      {
        AlarmNames: names.slice(i, i + NAMES_PER_CALL),
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: NAMES_PER_CALL,
      },
    );
    for await (const answer of pages) {
      for (const alarm of [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])]) {
        if (!alarm.AlarmName) continue;
        states.push({
          name: alarm.AlarmName,
          state: alarm.StateValue ?? 'UNKNOWN',
          reason: alarm.StateReason,
        });
      }
    }
  }
  return states;
}

/**
 * None of the pipeline's alarms is in ALARM: the stack's alarms named `<namePrefix>-...` (the
 * pipeline's name prefix, from its NamePrefix output), or all of them for a stack that does not
 * publish one (deployed before it did).
 */
export async function alarmCheck(
  cloudFormation: CloudFormationClient,
  cloudWatch: CloudWatchClient,
  stackName: string,
  namePrefix?: string,
): Promise<CheckResult> {
  const check = 'alarms';
  let names: string[];
  try {
    const all = await stackAlarmNames(cloudFormation, stackName);
    names = namePrefix === undefined ? all : all.filter((name) => name.startsWith(`${namePrefix}-`));
  } catch (error) {
    return couldNotCheck(
      check,
      error,
      `listing the resources of stack ${stackName}`,
      'cloudformation:ListStackResources',
    );
  }
  if (names.length === 0) {
    return warn(
      check,
      `stack ${stackName} has no CloudWatch alarms.`,
      'Nothing will tell you when collection stops; deploy it again with the current version of the ' +
        'construct (npx cdk deploy).',
    );
  }
  let states: AlarmState[];
  try {
    states = await alarmStates(cloudWatch, names);
  } catch (error) {
    return couldNotCheck(check, error, 'reading the alarms of the stack', 'cloudwatch:DescribeAlarms');
  }
  const firing = states.filter((a) => a.state === 'ALARM');
  if (firing.length > 0) {
    const list = firing.map((a) => `${a.name}${a.reason ? ` (${a.reason})` : ''}`).join('; ');
    return fail(
      check,
      `${firing.length} of ${names.length} in ALARM: ${list}`,
      'The Alarms table of docs/deploy.md says what each alarm means and what to do; the alarm clears ' +
        'by itself once the cause is gone.',
    );
  }
  const found = new Set(states.map((a) => a.name));
  const missing = names.filter((name) => !found.has(name));
  if (missing.length > 0) {
    return warn(
      check,
      `${missing.length} of the stack's alarms were not found in CloudWatch: ${missing.join(', ')}`,
      "Check AWS_REGION (it must be the stack's region), then the stack's events in the CloudFormation " +
        'console.',
    );
  }
  const noData = states.filter((a) => a.state === 'INSUFFICIENT_DATA').length;
  const waiting = noData > 0 ? ` (${noData} without data yet, normal in the first hours)` : '';
  return pass(check, `none of ${names.length} in ALARM${waiting}.`);
}
