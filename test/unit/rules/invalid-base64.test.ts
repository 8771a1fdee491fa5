import { ruleTester } from '../../helpers/rule-tester';

const secret = (data: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\n${data}`;

ruleTester('invalid-base64', {
  valid: [
    secret('  password: aGVsbG8=\n'),
    secret('  password: |\n    aGVs\n    bG8=\n'),
    secret('  password: ""\n'),
    secret('  password:\n'),
    secret('  password: "{{ .Values.password | b64enc }}"\n'),
    secret('  password: {{ .Values.password | b64enc }}\n'),
    secret('  password: ${DB_PASSWORD}\n'),
    secret('  password: <base64-encoded-password>\n'),
    secret('  password: REPLACE_ME\n'),
    // stringData is plain text: spaces are fine there.
    'apiVersion: v1\nkind: Secret\nstringData:\n  password: hello world\n',
    // Not a Secret: Kubernetes is case-sensitive about kind and apiVersion.
    'apiVersion: v1\nkind: secret\ndata:\n  password: hello world\n',
    'apiVersion: v2\nkind: Secret\ndata:\n  password: hello world\n',
    'apiVersion: v1\nkind: ConfigMap\ndata:\n  password: hello world\n',
  ],
  invalid: [
    {
      name: 'a space inside the value',
      code: secret('  password: aGVs bG8=\n'),
      errors: [
        {
          line: 7,
          column: 13,
          endLine: 7,
          endColumn: 22,
          fixes: {
            'Remove the white space inside the value': secret('  password: aGVsbG8=\n'),
            'Encode as base64': secret('  password: YUdWcyBiRzg9\n'),
            'Move to stringData':
              'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\nstringData:\n  password: aGVs bG8=\n',
          },
        },
      ],
    },
    {
      name: 'plain text in data, kind after data',
      code: 'data:\n  password: hello world\napiVersion: v1\nkind: Secret\n',
      errors: [
        {
          line: 2,
          column: 13,
          endLine: 2,
          endColumn: 24,
          fixes: {
            'Encode as base64':
              'data:\n  password: aGVsbG8gd29ybGQ=\napiVersion: v1\nkind: Secret\n',
            'Move to stringData':
              'stringData:\n  password: hello world\napiVersion: v1\nkind: Secret\n',
          },
        },
      ],
    },
    {
      name: 'missing padding',
      code: secret('  password: aGVsbG8\n'),
      errors: [
        {
          line: 7,
          column: 13,
          endLine: 7,
          endColumn: 20,
          fixes: {
            'Add the missing = padding': secret('  password: aGVsbG8=\n'),
            'Encode as base64': secret('  password: YUdWc2JHOA==\n'),
            'Move to stringData':
              'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\nstringData:\n  password: aGVsbG8\n',
          },
        },
      ],
    },
    {
      name: 'a folded block scalar turns line breaks into spaces',
      code: secret('  password: >\n    aGVs\n    bG8=\n'),
      errors: [
        {
          line: 7,
          column: 13,
          endLine: 10,
          endColumn: 1,
          fixes: {
            'Remove the white space inside the value': secret('  password: aGVsbG8=\n'),
            'Encode as base64': secret('  password: YUdWcyBiRzg9Cg==\n'),
            'Move to stringData':
              'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\nstringData:\n  password: "aGVs bG8=\\n"\n',
          },
        },
      ],
    },
    {
      name: 'JSON manifest keeps JSON quoting',
      code: '{"apiVersion": "v1", "kind": "Secret", "data": {"token": "not base64!"}}',
      errors: [
        {
          line: 1,
          column: 58,
          endLine: 1,
          endColumn: 71,
          fixes: {
            'Encode as base64':
              '{"apiVersion": "v1", "kind": "Secret", "data": {"token": "bm90IGJhc2U2NCE="}}',
            'Move to stringData':
              '{"apiVersion": "v1", "kind": "Secret", "stringData": {"token": "not base64!"}}',
          },
        },
      ],
    },
    {
      name: 'every document of a multi-document file',
      code: `${secret('  a: x y\n')}---\n${secret('  b: "a_b"\n')}`,
      errors: [
        { line: 7, column: 6, endLine: 7, endColumn: 9 },
        { line: 15, column: 6, endLine: 15, endColumn: 11 },
      ],
    },
  ],
});

ruleTester('invalid-base64', {
  valid: [
    {
      name: 'SOPS ciphertext in data is not checked: the decrypted value is what gets applied',
      code: 'apiVersion: v1\nkind: Secret\ndata:\n  password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2=,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:x,type:str]\n  version: 3.9.0\n',
    },
  ],
  invalid: [
    {
      name: 'ENC[...] outside a SOPS file is just invalid base64',
      code: 'apiVersion: v1\nkind: Secret\ndata:\n  password: ENC[AES256_GCM,data:Tr7o=]\n',
      errors: [{ line: 4, column: 13, endLine: 4, endColumn: 39 }],
    },
  ],
});
