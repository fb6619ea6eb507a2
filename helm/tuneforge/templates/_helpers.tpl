{{- define "tuneforge.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{- define "tuneforge.labels" -}}
app.kubernetes.io/part-of: tuneforge
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tuneforge.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .name .root.Values.image.tag -}}
{{- end -}}

{{- define "tuneforge.secretName" -}}
{{- default (printf "%s-platform" (include "tuneforge.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{/* Platform endpoints for every service: from the bundled trial pod, or from values. */}}
{{- define "tuneforge.platformEnv" -}}
{{- $bundled := printf "%s-bundled" (include "tuneforge.fullname" .) -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ ternary (printf "%s:19092" $bundled) .Values.kafka.bootstrapServers .Values.bundled.enabled | quote }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%v/%s" (include "tuneforge.postgresHost" .) (include "tuneforge.postgresPort" .) .Values.postgres.database | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ .Values.postgres.username | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ include "tuneforge.secretName" . }}, key: postgres-password}
- name: TUNEFORGE_S3_ENDPOINT
  value: {{ ternary (printf "http://%s:19000" $bundled) .Values.s3.endpoint .Values.bundled.enabled | quote }}
- name: TUNEFORGE_S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: TUNEFORGE_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ include "tuneforge.secretName" . }}, key: s3-access-key}
- name: TUNEFORGE_S3_SECRET_KEY
  valueFrom:
    secretKeyRef: {name: {{ include "tuneforge.secretName" . }}, key: s3-secret-key}
{{- end -}}

{{- define "tuneforge.probes" -}}
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 10
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  initialDelaySeconds: 30
  periodSeconds: 20
{{- end -}}

{{- define "tuneforge.postgresHost" -}}
{{- ternary (printf "%s-bundled" (include "tuneforge.fullname" .)) .Values.postgres.host .Values.bundled.enabled -}}
{{- end -}}

{{- define "tuneforge.postgresPort" -}}
{{- ternary 15432 .Values.postgres.port .Values.bundled.enabled -}}
{{- end -}}
