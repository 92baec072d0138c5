{{- define "loki.labels" -}}
app.kubernetes.io/part-of: loki
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "loki.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "loki.authSecret" -}}
{{- if .Values.auth.existingSecret -}}
{{ .Values.auth.existingSecret }}
{{- else -}}
{{ .Release.Name }}-auth
{{- end -}}
{{- end }}

{{/* Service URIs every service may call; names are the Kubernetes Services below. */}}
{{- define "loki.serviceUris" -}}
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (ne $name "gateway") }}
- name: LOKI_{{ trimSuffix "-service" $name | upper }}_URI
  value: http://{{ $name }}:8080
{{- end }}
{{- end }}
{{- end }}
