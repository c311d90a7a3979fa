{{/* Chart name, or nameOverride. */}}
{{- define "sse-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name prefix: <release>-<chart>, or fullnameOverride. Truncated to leave room for "-redis". */}}
{{- define "sse-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 57 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 57 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 57 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sse-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sse-gateway.labels" -}}
helm.sh/chart: {{ include "sse-gateway.chart" . }}
{{ include "sse-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "sse-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sse-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end }}

{{- define "sse-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sse-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Bundled Redis: its object names and labels. */}}
{{- define "sse-gateway.redis.fullname" -}}
{{- printf "%s-redis" (include "sse-gateway.fullname" .) }}
{{- end }}

{{- define "sse-gateway.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sse-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end }}

{{- define "sse-gateway.redis.labels" -}}
helm.sh/chart: {{ include "sse-gateway.chart" . }}
{{ include "sse-gateway.redis.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* True (non-empty) when the gateway is given a Redis, bundled or external. */}}
{{- define "sse-gateway.hasRedis" -}}
{{- if or .Values.redis.enabled .Values.externalRedis.uri .Values.externalRedis.existingSecret .Values.externalRedis.shards }}true{{ end }}
{{- end }}

{{/* The chart's Secret name: it holds JWT_SECRET, REDIS_URI and users.yml, whichever the chart stores. */}}
{{- define "sse-gateway.secretName" -}}
{{- include "sse-gateway.fullname" . }}
{{- end }}

{{/* True (non-empty) when the chart stores anything in its Secret. */}}
{{- define "sse-gateway.hasSecret" -}}
{{- if or .Values.jwt.secret (and (or .Values.externalRedis.uri .Values.externalRedis.shards) (not .Values.redis.enabled)) .Values.users }}true{{ end }}
{{- end }}

{{/* terminationGracePeriodSeconds: the kubelet counts the preStop hook in it, then the drain, then the exit. */}}
{{- define "sse-gateway.terminationGracePeriodSeconds" -}}
{{- add .Values.preStopSleep .Values.drainPeriod .Values.terminationGraceMargin }}
{{- end }}

{{/*
Combinations the schema cannot see. Each one would install "successfully" and then misbehave, so
rendering stops with the reason instead.
*/}}
{{- define "sse-gateway.validate" -}}
{{- if and .Values.redis.enabled (or .Values.externalRedis.uri .Values.externalRedis.existingSecret) }}
{{- fail "redis.enabled and externalRedis are exclusive: choose the bundled Redis or an external one" }}
{{- end }}
{{- if and .Values.externalRedis.uri .Values.externalRedis.existingSecret }}
{{- fail "externalRedis.uri and externalRedis.existingSecret are exclusive" }}
{{- end }}
{{- if and .Values.redis.enabled .Values.externalRedis.shards }}
{{- fail "redis.enabled and externalRedis.shards are exclusive: the shards replace the bundled Redis" }}
{{- end }}
{{- if and .Values.jwt.secret .Values.jwt.existingSecret }}
{{- fail "jwt.secret and jwt.existingSecret are exclusive" }}
{{- end }}
{{- $scaled := or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}
{{- if and $scaled (not (or .Values.jwt.secret .Values.jwt.existingSecret .Values.config.jwksUrl)) }}
{{- fail "more than one pod needs jwt.secret, jwt.existingSecret or config.jwksUrl: without a key each pod starts in development mode with its own random one and rejects the tokens of the others" }}
{{- end }}
{{- if not (include "sse-gateway.hasRedis" .) }}
{{- if .Values.autoscaling.enabled }}
{{- fail "autoscaling needs Redis (redis.enabled or externalRedis): without it every pod is a separate single-instance broker and subscribers miss events published to other pods" }}
{{- end }}
{{- if gt (int .Values.replicaCount) 1 }}
{{- fail "replicaCount > 1 needs Redis (redis.enabled or externalRedis): without it every pod is a separate single-instance broker and subscribers miss events published to other pods" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Environment variables of the gateway container that are not in the ConfigMap: secrets and computed ones. */}}
{{- define "sse-gateway.gatewayEnv" -}}
{{- if .Values.jwt.existingSecret }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.jwt.existingSecret }}
      key: {{ .Values.jwt.existingSecretKey }}
{{- else if .Values.jwt.secret }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "sse-gateway.secretName" . }}
      key: JWT_SECRET
{{- end }}
{{- if .Values.redis.enabled }}
- name: REDIS_URI
  value: {{ printf "redis://%s:%d" (include "sse-gateway.redis.fullname" .) (int .Values.redis.port) | quote }}
{{- else if .Values.externalRedis.existingSecret }}
- name: REDIS_URI
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalRedis.existingSecret }}
      key: {{ .Values.externalRedis.existingSecretKey }}
{{- else if .Values.externalRedis.uri }}
- name: REDIS_URI
  valueFrom:
    secretKeyRef:
      name: {{ include "sse-gateway.secretName" . }}
      key: REDIS_URI
{{- end }}
{{- if and .Values.externalRedis.shards (not .Values.redis.enabled) }}
- name: SSE_REDIS_SHARDS
  valueFrom:
    secretKeyRef:
      name: {{ include "sse-gateway.secretName" . }}
      key: SSE_REDIS_SHARDS
{{- end }}
{{- if .Values.users }}
- name: MICRONAUT_CONFIG_FILES
  value: /etc/sse-gateway/users.yml
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}
