/** Helm / Go-template files must never produce findings: their YAML is only known after rendering. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/core/analyze';

const templates: Record<string, string> = {
  'helm secret with if/range': [
    '{{- if .Values.secret.create }}',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: {{ include "app.fullname" . }}',
    '  labels:',
    '    {{- include "app.labels" . | nindent 4 }}',
    'type: Opaque',
    'data:',
    '  password: {{ .Values.password | b64enc | quote }}',
    '  {{- range $key, $value := .Values.extra }}',
    '  {{ $key }}: {{ $value | b64enc }}',
    '  {{- end }}',
    '{{- end }}',
    '',
  ].join('\n'),
  'template expressions as flow mappings that parse as YAML': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: {{ .Release.Name }}-db',
    'data:',
    '  password: {{ .Values.password | b64enc }}',
    '  token: {{ required "token" .Values.token }}',
    'stringData:',
    '  port: {{ .Values.port }}',
    '  url: postgres://{{ .Values.user }}:{{ .Values.pass }}@db:5432/app',
    '',
  ].join('\n'),
  'env from a templated Secret name': [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    'spec:',
    '  containers:',
    '    - name: c',
    '      env:',
    '        - name: X',
    '          valueFrom:',
    '            secretKeyRef:',
    '              name: {{ .Values.secretName }}',
    '              key: {{ .Values.key }}',
    '',
  ].join('\n'),
};

for (const [name, text] of Object.entries(templates)) {
  test(`no finding: ${name}`, () => {
    const result = analyze({
      text,
      path: '/repo/chart/templates/secret.yaml',
      git: { state: 'untracked', workTree: '/repo' },
    });
    assert.deepEqual(result.internalErrors, []);
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId} ${text.slice(f.start, f.end)}`),
      [],
    );
  });
}
