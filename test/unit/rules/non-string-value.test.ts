import { ruleTester } from '../../helpers/rule-tester';

const secret = (entries: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: flags\nstringData:\n${entries}`;

ruleTester('non-string-value', {
  valid: [
    secret('  enabled: "yes"\n'),
    secret("  mode: '0644'\n"),
    secret('  empty:\n'),
    secret('  empty: ~\n'),
    secret('  time: 1:20\n'), // go-yaml v2 has no sexagesimal numbers
    secret('  date: 2001-12-14\n'),
    secret('  text: yes please\n'),
    secret('  tpl: {{ .Values.flag }}\n'),
    secret('  explicit: !!str 0644\n'),
    'apiVersion: v1\nkind: ConfigMap\ndata:\n  enabled: yes\n',
    '{"apiVersion": "v1", "kind": "Secret", "stringData": {"n": "5"}}',
  ],
  invalid: [
    {
      name: 'YAML 1.1 booleans: yes, on, y, off',
      code: secret('  a: yes\n  b: on\n  c: y\n  d: OFF\n'),
      errors: [
        {
          line: 6,
          column: 6,
          endLine: 6,
          endColumn: 9,
          fixes: { 'Quote the value': secret('  a: "yes"\n  b: on\n  c: y\n  d: OFF\n') },
        },
        { line: 7, column: 6, endLine: 7, endColumn: 8 },
        { line: 8, column: 6, endLine: 8, endColumn: 7 },
        { line: 9, column: 6, endLine: 9, endColumn: 9 },
      ],
    },
    {
      name: 'octal and other numbers keep their text when quoted',
      code: secret('  mode: 0644\n  port: 5432\n  ratio: 1.5e3\n'),
      errors: [
        {
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 13,
          fixes: { 'Quote the value': secret('  mode: "0644"\n  port: 5432\n  ratio: 1.5e3\n') },
        },
        { line: 7, column: 9, endLine: 7, endColumn: 13 },
        { line: 8, column: 10, endLine: 8, endColumn: 15 },
      ],
    },
    {
      name: 'maps and lists have no quoting fix',
      code: secret('  nested:\n    a: b\n  list: [a, b]\n'),
      errors: [
        { line: 7, column: 5, endLine: 8, endColumn: 1, fixes: {} },
        { line: 8, column: 9, endLine: 8, endColumn: 15, fixes: {} },
      ],
    },
    {
      name: 'data values too, and JSON numbers',
      code: '{"apiVersion": "v1", "kind": "Secret", "data": {"n": 5}}',
      errors: [
        {
          line: 1,
          column: 54,
          endLine: 1,
          endColumn: 55,
          fixes: {
            'Quote the value': '{"apiVersion": "v1", "kind": "Secret", "data": {"n": "5"}}',
          },
        },
      ],
    },
  ],
});

ruleTester('non-string-value', {
  valid: [
    {
      name: 'an alias of a quoted string is a string',
      code: 'apiVersion: v1\nkind: Secret\nstringData:\n  a: &s "yes"\n  b: *s\n',
    },
  ],
  invalid: [
    {
      name: 'an alias of a boolean is reported where the boolean is written',
      code: 'apiVersion: v1\nkind: Secret\nstringData:\n  a: &b yes\n  c: *b\n',
      errors: [
        { line: 4, column: 9, endLine: 4, endColumn: 12 },
        { line: 4, column: 9, endLine: 4, endColumn: 12 },
      ],
    },
  ],
});
