/**
 * A Deployment named `api`, its pod spec given as lines indented for it (six spaces): the
 * workload that tests of Secret references put beside their Secrets.
 */
export function apiDeployment(podSpec: readonly string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    ...podSpec,
    '',
  ].join('\n');
}
