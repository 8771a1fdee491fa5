/** Where each rule's documentation page is published (the repository's docs/rules folder). */
export const REPOSITORY_URL = 'https://github.com/k8s-secret-guard/k8s-secret-guard';

/** The URL of a rule's docs page. */
export function ruleDocUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}
