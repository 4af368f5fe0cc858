{{/* The chart's name, or nameOverride. */}}
{{- define "herald.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's resource name. */}}
{{- define "herald.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "herald.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "herald.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "herald.selectorLabels" -}}
app.kubernetes.io/name: {{ include "herald.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "herald.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "herald.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: {{ .Values.mode }}
{{- end }}

{{- define "herald.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "herald.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Stops the rendering when cluster mode lacks what it needs. */}}
{{- define "herald.checkValues" -}}
{{- if eq .Values.mode "cluster" }}
{{- if not .Values.cluster.kafkaBootstrap }}
{{- fail "mode cluster: set cluster.kafkaBootstrap (HERALD_KAFKA_BOOTSTRAP, host:port of the Kafka cluster)" }}
{{- end }}
{{- if not .Values.cluster.storeUrlSecret.name }}
{{- fail "mode cluster: set cluster.storeUrlSecret.name (the Secret holding the PostgreSQL JDBC URL, HERALD_STORE_URL)" }}
{{- end }}
{{- if not .Values.secrets.secretKeyKey }}
{{- fail "mode cluster: set secrets.secretKeyKey (HERALD_SECRET_KEY is required with PostgreSQL: every replica must share it)" }}
{{- end }}
{{- end }}
{{- if and .Values.config.content (not .Values.config.environment) }}
{{- fail "config.content is set: set config.environment too (herald serve --config ... --env ...)" }}
{{- end }}
{{- end }}

{{/* The pod template shared by the StatefulSet (embedded) and the Deployment (cluster). */}}
{{- define "herald.podTemplate" -}}
metadata:
  labels:
    {{- include "herald.selectorLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if or .Values.config.content .Values.podAnnotations }}
  annotations:
    {{- if .Values.config.content }}
    checksum/config: {{ .Values.config.content | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
spec:
  serviceAccountName: {{ include "herald.serviceAccountName" . }}
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: herald
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- if .Values.config.content }}
      args: ["serve", "--config", "/etc/herald/herald.yaml", "--env", {{ .Values.config.environment | quote }}]
      {{- else }}
      args: ["serve"]
      {{- end }}
      ports:
        - name: http
          containerPort: {{ .Values.port }}
          protocol: TCP
      env:
        - name: HERALD_HOST
          value: "0.0.0.0"
        - name: HERALD_PORT
          value: {{ .Values.port | quote }}
        - name: HERALD_DATA_DIR
          value: /var/lib/herald
        - name: HERALD_JAVA_OPTS
          value: {{ .Values.javaOpts | quote }}
        - name: HERALD_BOOTSTRAP_KEY
          valueFrom:
            secretKeyRef:
              name: {{ .Values.secrets.name }}
              key: {{ .Values.secrets.bootstrapKeyKey }}
        {{- if .Values.secrets.secretKeyKey }}
        - name: HERALD_SECRET_KEY
          valueFrom:
            secretKeyRef:
              name: {{ .Values.secrets.name }}
              key: {{ .Values.secrets.secretKeyKey }}
        {{- end }}
        {{- if eq .Values.mode "cluster" }}
        - name: HERALD_KAFKA_BOOTSTRAP
          value: {{ .Values.cluster.kafkaBootstrap | quote }}
        - name: HERALD_STORE_URL
          valueFrom:
            secretKeyRef:
              name: {{ .Values.cluster.storeUrlSecret.name }}
              key: {{ .Values.cluster.storeUrlSecret.key }}
        {{- if .Values.cluster.busPartitions }}
        - name: HERALD_BUS_PARTITIONS
          value: {{ .Values.cluster.busPartitions | quote }}
        {{- end }}
        {{- else }}
        - name: HERALD_FSYNC
          value: {{ .Values.fsync | quote }}
        {{- end }}
        {{- if .Values.metricsPublic }}
        - name: HERALD_METRICS_PUBLIC
          value: "true"
        {{- end }}
        {{- range $name, $value := .Values.env }}
        - name: {{ $name }}
          value: {{ $value | quote }}
        {{- end }}
      startupProbe:
        httpGet:
          path: /health/live
          port: http
        periodSeconds: {{ .Values.probes.startup.periodSeconds }}
        failureThreshold: {{ .Values.probes.startup.failureThreshold }}
      readinessProbe:
        httpGet:
          path: /health/ready
          port: http
        periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
        failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
      livenessProbe:
        httpGet:
          path: /health/live
          port: http
        periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
        failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: data
          mountPath: /var/lib/herald
        - name: tmp
          mountPath: /tmp
        {{- if .Values.config.content }}
        - name: config
          mountPath: /etc/herald
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir: {}
    {{- if eq .Values.mode "cluster" }}
    - name: data
      emptyDir: {}
    {{- end }}
    {{- if .Values.config.content }}
    - name: config
      configMap:
        name: {{ include "herald.fullname" . }}-config
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
