{{/* The community chart's naming: RELEASE when it contains the chart's
name, else RELEASE-CHART; each component is FULLNAME-COMPONENT. */}}
{{- define "dify.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "dify.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dify.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "dify.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "dify.image" -}}
{{- printf "%s:%s" .img.repository (default .root.Chart.AppVersion .img.tag) -}}
{{- end -}}

{{- define "dify.redisUrl" -}}
{{- $r := .Values.externalRedis -}}
{{- printf "%s://:%s@%s:%v/1" (ternary "rediss" "redis" $r.useSSL) $r.password $r.host $r.port -}}
{{- end -}}

{{/* What api, worker and beat read: the database, Redis, storage, the
plugin daemon and the sandbox (the values of config.tpl's api and worker
sections that dify-sim's model reads). */}}
{{- define "dify.apiConfig" -}}
DB_TYPE: postgresql
DB_HOST: {{ .Values.externalPostgres.address | quote }}
DB_PORT: {{ .Values.externalPostgres.port | quote }}
DB_USERNAME: {{ .Values.externalPostgres.username | quote }}
DB_DATABASE: {{ .Values.externalPostgres.database.api | quote }}
REDIS_HOST: {{ .Values.externalRedis.host | quote }}
REDIS_PORT: {{ .Values.externalRedis.port | quote }}
REDIS_DB: "0"
REDIS_USE_SSL: {{ .Values.externalRedis.useSSL | quote }}
STORAGE_TYPE: {{ ternary "s3" "opendal" .Values.externalS3.enabled | quote }}
{{- if .Values.externalS3.enabled }}
S3_ENDPOINT: {{ .Values.externalS3.endpoint | quote }}
S3_BUCKET_NAME: {{ .Values.externalS3.bucketName.api | quote }}
S3_REGION: {{ .Values.externalS3.region | quote }}
S3_USE_AWS_MANAGED_IAM: {{ .Values.externalS3.useIAM | quote }}
{{- end }}
CODE_EXECUTION_ENDPOINT: {{ printf "http://%s-sandbox:8194" (include "dify.fullname" .) | quote }}
PLUGIN_DAEMON_URL: {{ printf "http://%s-plugin-daemon:5002" (include "dify.fullname" .) | quote }}
{{- if .Values.ssrfProxy.enabled }}
SSRF_PROXY_HTTP_URL: {{ printf "http://%s-ssrf-proxy:3128" (include "dify.fullname" .) | quote }}
SSRF_PROXY_HTTPS_URL: {{ printf "http://%s-ssrf-proxy:3128" (include "dify.fullname" .) | quote }}
{{- end }}
CONSOLE_API_URL: {{ printf "http://%s" .Values.global.consoleApiDomain | quote }}
APP_API_URL: {{ printf "http://%s" .Values.global.appApiDomain | quote }}
{{- end -}}

{{- define "dify.apiSecret" -}}
SECRET_KEY: {{ .Values.global.appSecretKey | b64enc | quote }}
DB_PASSWORD: {{ .Values.externalPostgres.password | b64enc | quote }}
REDIS_PASSWORD: {{ .Values.externalRedis.password | b64enc | quote }}
CELERY_BROKER_URL: {{ include "dify.redisUrl" . | b64enc | quote }}
PLUGIN_DAEMON_KEY: {{ .Values.pluginDaemon.auth.serverKey | b64enc | quote }}
INNER_API_KEY_FOR_PLUGIN: {{ .Values.pluginDaemon.auth.difyApiKey | b64enc | quote }}
CODE_EXECUTION_API_KEY: {{ .Values.sandbox.auth.apiKey | b64enc | quote }}
{{- if .Values.externalS3.enabled }}
S3_ACCESS_KEY: {{ .Values.externalS3.accessKey | b64enc | quote }}
S3_SECRET_KEY: {{ .Values.externalS3.secretKey | b64enc | quote }}
{{- end }}
{{- end -}}

{{/* A Deployment of one component. dict: root, name (component), values
(its values), image, port (0: none), env (extra env list), mode. */}}
{{- define "dify.deployment" -}}
{{- $root := .root -}}
{{- $full := include "dify.fullname" $root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ printf "%s-%s" $full .name }}
  labels:
    {{- include "dify.labels" $root | nindent 4 }}
    component: {{ .name }}
spec:
  replicas: {{ default 1 .values.replicas }}
  selector:
    matchLabels:
      {{- include "dify.selectorLabels" $root | nindent 6 }}
      component: {{ .name }}
  {{- with .values.updateStrategy }}
  strategy: {{- toYaml . | nindent 4 }}
  {{- end }}
  template:
    metadata:
      annotations:
        checksum/config: {{ .checksum | quote }}
      labels:
        {{- include "dify.selectorLabels" $root | nindent 8 }}
        component: {{ .name }}
    spec:
      enableServiceLinks: false
      containers:
      - name: {{ .name }}
        image: {{ .image | quote }}
        {{- if or .mode .values.extraEnv .env }}
        env:
        {{- if .mode }}
        - name: MODE
          value: {{ .mode | quote }}
        {{- end }}
        {{- with .env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with .values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- end }}
        envFrom:
        - configMapRef:
            name: {{ printf "%s-%s" $full .config }}
        {{- if not .noSecret }}
        - secretRef:
            name: {{ printf "%s-%s" $full .config }}
        {{- end }}
        {{- if .port }}
        ports:
        - name: http
          containerPort: {{ .port }}
          protocol: TCP
        {{- end }}
        {{- if .values.customReadinessProbe }}
        readinessProbe: {{- toYaml .values.customReadinessProbe | nindent 10 }}
        {{- else if and .values.readinessProbe .values.readinessProbe.enabled .port }}
        readinessProbe:
          httpGet:
            path: {{ .probePath }}
            port: {{ .port }}
          initialDelaySeconds: {{ .values.readinessProbe.initialDelaySeconds }}
        {{- end }}
        {{- with .values.resources }}
        resources: {{- toYaml . | nindent 10 }}
        {{- end }}
{{- end -}}

{{- define "dify.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ printf "%s-%s" (include "dify.fullname" .root) .name }}
  labels:
    {{- include "dify.labels" .root | nindent 4 }}
    component: {{ .name }}
spec:
  type: ClusterIP
  selector:
    {{- include "dify.selectorLabels" .root | nindent 4 }}
    component: {{ .name }}
  ports:
  - name: http
    port: {{ .port }}
    targetPort: {{ .port }}
    protocol: TCP
{{- end -}}
