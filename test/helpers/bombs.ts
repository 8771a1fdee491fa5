/**
 * Resource bombs: files made to exhaust a YAML tool's time, memory or stack, and the
 * pathological inputs the fuzzer found for our own code. Shared by the unit, CLI and LSP
 * tests; each is generated on demand (some are 50 MB).
 */

/** What the analysis must do with a bomb. */
export type BombOutcome =
  /** One `analysis-limit` finding for the file or the document: it is not analysed. */
  | 'refused'
  /** Analysed like any file (no `analysis-limit`), within the bounds. */
  | 'analysed';

export interface Bomb {
  name: string;
  outcome: BombOutcome;
  text: () => string;
}

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n';
const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bomb\n';

/** Nine levels of nine aliases: a billion `lol`s when expanded. */
function billionLaughs(): string {
  let text = `${CONFIGMAP}  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i < 9; i++) {
    text += `  l${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`;
  }
  return text;
}

/** The same with mappings, in a SOPS-encrypted Secret (whose rule walks every value). */
function sopsMapLaughs(): string {
  const keys = (value: string): string =>
    Array.from({ length: 9 }, (_, j) => `k${j}: ${value}`).join(', ');
  let text = `${SECRET}stringData:\n  l0: &a0 {${keys('lol')}}\n`;
  for (let i = 1; i < 9; i++) text += `  l${i}: &a${i} {${keys(`*a${i - 1}`)}}\n`;
  return `${text}sops:\n  mac: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\n`;
}

/** A long chain of aliases, each adding one level: deep only when expanded. */
function aliasChain(): string {
  let text = `${SECRET}stringData:\n  l0: &a0 {k: v}\n`;
  for (let i = 1; i < 5000; i++) text += `  l${i}: &a${i} {k: *a${i - 1}}\n`;
  return `${text}sops:\n  mac: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\n`;
}

function randomBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

export const BOMBS: readonly Bomb[] = [
  { name: 'billion laughs', outcome: 'refused', text: billionLaughs },
  { name: 'billion laughs of mappings in a SOPS Secret', outcome: 'refused', text: sopsMapLaughs },
  {
    name: 'a chain of 5,000 aliases (5,000 deep when expanded)',
    outcome: 'refused',
    text: aliasChain,
  },
  {
    name: 'an alias inside the node it names',
    outcome: 'refused',
    text: () =>
      `apiVersion: v1\nkind: Pod\nspec: &spec\n  containers:\n    - name: c\n      env: *spec\n`,
  },
  {
    name: '50,000 aliases of one anchor (yaml resolves each by walking the document)',
    outcome: 'analysed',
    text: () => `${CONFIGMAP}  x: &a hello\n  list: [${Array(50_000).fill('*a').join(', ')}]\n`,
  },
  {
    name: '100,000 nested flow sequences',
    outcome: 'refused',
    text: () => `${SECRET}data: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
  },
  {
    name: '2,000 nested block mappings',
    outcome: 'refused',
    text: () =>
      `${CONFIGMAP}${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} v\n`,
  },
  {
    name: '100,000 implicit keys on one line (`a: b: c: …`, deep in the YAML parser)',
    outcome: 'refused',
    text: () => `${CONFIGMAP}  ${'key: '.repeat(100_000)}value\n`,
  },
  {
    name: 'a 50 MB single-line data value',
    outcome: 'refused',
    text: () => `${SECRET}data:\n  big: ${'QUJD'.repeat(12_500_000)}\n`,
  },
  {
    name: 'a 1 MB single-line data value (analysed: 0.75 MB decoded)',
    outcome: 'analysed',
    text: () => `${SECRET}data:\n  big: ${'QUJD'.repeat(250_000)}\n`,
  },
  {
    name: '100,000 documents',
    outcome: 'refused',
    text: () => `---\n${SECRET}data: {a: YQ==}\n`.repeat(100_000),
  },
  {
    name: '9,000 Secrets in one file',
    outcome: 'analysed',
    text: () => `---\n${SECRET}data: {a: YWJj}\n`.repeat(9_000),
  },
  {
    name: 'a binary file named .yaml',
    outcome: 'refused',
    text: () => randomBytes(1_000_000, 7).toString('latin1'),
  },
  {
    name: 'random bytes without NUL, decoded as UTF-8',
    outcome: 'analysed',
    text: () =>
      Buffer.from(randomBytes(200_000, 11).map((b) => (b === 0 ? 1 : b))).toString('utf8'),
  },
  {
    name: '1 MB of `]` (a syntax error per character)',
    outcome: 'analysed',
    text: () => ']'.repeat(1_000_000),
  },
  {
    name: '600 KB of `: ` (dense nodes)',
    outcome: 'refused',
    text: () => `kind: ConfigMap\n${': '.repeat(300_000)}`,
  },
  {
    name: '600 KB of `: ` that cannot hold an object (no `kind`: not parsed at all)',
    outcome: 'analysed',
    text: () => ': '.repeat(300_000),
  },
  {
    name: 'a suppression comment naming 200,000 unknown rule ids (findings are capped)',
    outcome: 'refused',
    text: () =>
      `# secret-guard-disable ${Array.from({ length: 200_000 }, (_, i) => `r${i}`).join(' ')}\n${SECRET}data: {a: YQ==}\n`,
  },
  // What the fuzzer's regex runs found: super-linear regular expressions of our own rules.
  {
    name: 'a Helm template opened 100,000 times in a Secret password',
    outcome: 'analysed',
    text: () => `${SECRET}stringData:\n  password: "${'{{'.repeat(100_000)}"\n`,
  },
  {
    name: '${ repeated 100,000 times in a Secret password',
    outcome: 'analysed',
    text: () => `${SECRET}stringData:\n  password: "${'${'.repeat(100_000)}"\n`,
  },
  {
    name: ':// repeated in a ConfigMap value',
    outcome: 'analysed',
    text: () => `${CONFIGMAP}  url: "${'://'.repeat(200_000)}"\n`,
  },
  {
    name: 'a configuration line with 100,000 spaces in its value',
    outcome: 'analysed',
    text: () => `${CONFIGMAP}  app.conf: "password = a${' '.repeat(100_000)}b"\n`,
  },
  {
    name: 'a 500,000-character key of capitals',
    outcome: 'analysed',
    text: () => `${CONFIGMAP}  "${'A'.repeat(500_000)}1": x\n`,
  },
  {
    name: 'a 500,000-character key of digits',
    outcome: 'analysed',
    text: () => `${CONFIGMAP}  "${'1'.repeat(500_000)}a_password": x\n`,
  },
  {
    name: 'a ReDoS pattern as SOPS encrypted_regex',
    outcome: 'analysed',
    text: () =>
      `${SECRET}stringData:\n  "${'a'.repeat(200)}!": v\nsops:\n  mac: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\n  encrypted_regex: (a+)+$\n`,
  },
];
