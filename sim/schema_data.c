/* sim/schema_data.c: the field types of the kinds dify-sim serves, written by
 * scripts/gen-sim-schema.js from the Kubernetes OpenAPI definitions (the
 * @kubernetes/client-node models). Do not edit; see sim/schema.h. */
#include "config.h"

#include "sim/schema.h"

static const struct sfield f0[] = {
    /* V1Namespace */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},  {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 4},        {"status", SF_OBJ, 5},
};
static const struct sfield f1[] = {
    /* V1ObjectMeta */
    {"annotations", SF_MAP_STR, -1},
    {"creationTimestamp", SF_TIME, -1},
    {"deletionGracePeriodSeconds", SF_INT64, -1},
    {"deletionTimestamp", SF_TIME, -1},
    {"finalizers", SF_LIST_STR, -1},
    {"generateName", SF_STR, -1},
    {"generation", SF_INT64, -1},
    {"labels", SF_MAP_STR, -1},
    {"managedFields", SF_LIST_OBJ, 2},
    {"name", SF_STR, -1},
    {"namespace", SF_STR, -1},
    {"ownerReferences", SF_LIST_OBJ, 3},
    {"resourceVersion", SF_STR, -1},
    {"selfLink", SF_STR, -1},
    {"uid", SF_STR, -1},
};
static const struct sfield f2[] = {
    /* V1ManagedFieldsEntry */
    {"apiVersion", SF_STR, -1}, {"fieldsType", SF_STR, -1}, {"fieldsV1", SF_ANY, -1},
    {"manager", SF_STR, -1},    {"operation", SF_STR, -1},  {"subresource", SF_STR, -1},
    {"time", SF_TIME, -1},
};
static const struct sfield f3[] = {
    /* V1OwnerReference */
    {"apiVersion", SF_STR, -1},  {"blockOwnerDeletion", SF_BOOL, -1},
    {"controller", SF_BOOL, -1}, {"kind", SF_STR, -1},
    {"name", SF_STR, -1},        {"uid", SF_STR, -1},
};
static const struct sfield f4[] = {
    /* V1NamespaceSpec */
    {"finalizers", SF_LIST_STR, -1},
};
static const struct sfield f5[] = {
    /* V1NamespaceStatus */
    {"conditions", SF_LIST_OBJ, 6},
    {"phase", SF_STR, -1},
};
static const struct sfield f6[] = {
    /* V1NamespaceCondition */
    {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"reason", SF_STR, -1},
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f7[] = {
    /* V1Node */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},   {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 8},        {"status", SF_OBJ, 12},
};
static const struct sfield f8[] = {
    /* V1NodeSpec */
    {"configSource", SF_OBJ, 9},    {"externalID", SF_STR, -1}, {"podCIDR", SF_STR, -1},
    {"podCIDRs", SF_LIST_STR, -1},  {"providerID", SF_STR, -1}, {"taints", SF_LIST_OBJ, 11},
    {"unschedulable", SF_BOOL, -1},
};
static const struct sfield f9[] = {
    /* V1NodeConfigSource */
    {"configMap", SF_OBJ, 10},
};
static const struct sfield f10[] = {
    /* V1ConfigMapNodeConfigSource */
    {"kubeletConfigKey", SF_STR, -1}, {"name", SF_STR, -1}, {"namespace", SF_STR, -1},
    {"resourceVersion", SF_STR, -1},  {"uid", SF_STR, -1},
};
static const struct sfield f11[] = {
    /* V1Taint */
    {"effect", SF_STR, -1},
    {"key", SF_STR, -1},
    {"timeAdded", SF_TIME, -1},
    {"value", SF_STR, -1},
};
static const struct sfield f12[] = {
    /* V1NodeStatus */
    {"addresses", SF_LIST_OBJ, 13},
    {"allocatable", SF_MAP_QTY, -1},
    {"capacity", SF_MAP_QTY, -1},
    {"conditions", SF_LIST_OBJ, 14},
    {"config", SF_OBJ, 15},
    {"daemonEndpoints", SF_OBJ, 16},
    {"declaredFeatures", SF_LIST_STR, -1},
    {"features", SF_OBJ, 18},
    {"images", SF_LIST_OBJ, 19},
    {"nodeInfo", SF_OBJ, 20},
    {"phase", SF_STR, -1},
    {"runtimeHandlers", SF_LIST_OBJ, 22},
    {"volumesAttached", SF_LIST_OBJ, 24},
    {"volumesInUse", SF_LIST_STR, -1},
};
static const struct sfield f13[] = {
    /* V1NodeAddress */
    {"address", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f14[] = {
    /* V1NodeCondition */
    {"lastHeartbeatTime", SF_TIME, -1},
    {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"reason", SF_STR, -1},
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f15[] = {
    /* V1NodeConfigStatus */
    {"active", SF_OBJ, 9},
    {"assigned", SF_OBJ, 9},
    {"error", SF_STR, -1},
    {"lastKnownGood", SF_OBJ, 9},
};
static const struct sfield f16[] = {
    /* V1NodeDaemonEndpoints */
    {"kubeletEndpoint", SF_OBJ, 17},
};
static const struct sfield f17[] = {
    /* V1DaemonEndpoint */
    {"Port", SF_INT32, -1},
};
static const struct sfield f18[] = {
    /* V1NodeFeatures */
    {"supplementalGroupsPolicy", SF_BOOL, -1},
};
static const struct sfield f19[] = {
    /* V1ContainerImage */
    {"names", SF_LIST_STR, -1},
    {"sizeBytes", SF_INT64, -1},
};
static const struct sfield f20[] = {
    /* V1NodeSystemInfo */
    {"architecture", SF_STR, -1},
    {"bootID", SF_STR, -1},
    {"containerRuntimeVersion", SF_STR, -1},
    {"kernelVersion", SF_STR, -1},
    {"kubeProxyVersion", SF_STR, -1},
    {"kubeletVersion", SF_STR, -1},
    {"machineID", SF_STR, -1},
    {"operatingSystem", SF_STR, -1},
    {"osImage", SF_STR, -1},
    {"swap", SF_OBJ, 21},
    {"systemUUID", SF_STR, -1},
};
static const struct sfield f21[] = {
    /* V1NodeSwapStatus */
    {"capacity", SF_QTY, -1},
};
static const struct sfield f22[] = {
    /* V1NodeRuntimeHandler */
    {"features", SF_OBJ, 23},
    {"name", SF_STR, -1},
};
static const struct sfield f23[] = {
    /* V1NodeRuntimeHandlerFeatures */
    {"recursiveReadOnlyMounts", SF_BOOL, -1},
    {"userNamespaces", SF_BOOL, -1},
};
static const struct sfield f24[] = {
    /* V1AttachedVolume */
    {"devicePath", SF_STR, -1},
    {"name", SF_STR, -1},
};
static const struct sfield f25[] = {
    /* V1Pod */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 26},       {"status", SF_OBJ, 132},
};
static const struct sfield f26[] = {
    /* V1PodSpec */
    {"activeDeadlineSeconds", SF_INT64, -1},
    {"affinity", SF_OBJ, 27},
    {"automountServiceAccountToken", SF_BOOL, -1},
    {"containers", SF_LIST_OBJ, 39},
    {"dnsConfig", SF_OBJ, 73},
    {"dnsPolicy", SF_STR, -1},
    {"enableServiceLinks", SF_BOOL, -1},
    {"ephemeralContainers", SF_LIST_OBJ, 75},
    {"hostAliases", SF_LIST_OBJ, 76},
    {"hostIPC", SF_BOOL, -1},
    {"hostNetwork", SF_BOOL, -1},
    {"hostPID", SF_BOOL, -1},
    {"hostUsers", SF_BOOL, -1},
    {"hostname", SF_STR, -1},
    {"hostnameOverride", SF_STR, -1},
    {"imagePullSecrets", SF_LIST_OBJ, 77},
    {"initContainers", SF_LIST_OBJ, 39},
    {"nodeName", SF_STR, -1},
    {"nodeSelector", SF_MAP_STR, -1},
    {"os", SF_OBJ, 78},
    {"overhead", SF_MAP_STR, -1},
    {"preemptionPolicy", SF_STR, -1},
    {"priority", SF_INT32, -1},
    {"priorityClassName", SF_STR, -1},
    {"readinessGates", SF_LIST_OBJ, 79},
    {"resourceClaims", SF_LIST_OBJ, 80},
    {"resources", SF_OBJ, 61},
    {"restartPolicy", SF_STR, -1},
    {"runtimeClassName", SF_STR, -1},
    {"schedulerName", SF_STR, -1},
    {"schedulingGates", SF_LIST_OBJ, 81},
    {"schedulingGroup", SF_OBJ, 82},
    {"securityContext", SF_OBJ, 83},
    {"serviceAccount", SF_STR, -1},
    {"serviceAccountName", SF_STR, -1},
    {"setHostnameAsFQDN", SF_BOOL, -1},
    {"shareProcessNamespace", SF_BOOL, -1},
    {"subdomain", SF_STR, -1},
    {"terminationGracePeriodSeconds", SF_INT64, -1},
    {"tolerations", SF_LIST_OBJ, 85},
    {"topologySpreadConstraints", SF_LIST_OBJ, 86},
    {"volumes", SF_LIST_OBJ, 87},
};
static const struct sfield f27[] = {
    /* V1Affinity */
    {"nodeAffinity", SF_OBJ, 28},
    {"podAffinity", SF_OBJ, 33},
    {"podAntiAffinity", SF_OBJ, 38},
};
static const struct sfield f28[] = {
    /* V1NodeAffinity */
    {"preferredDuringSchedulingIgnoredDuringExecution", SF_LIST_OBJ, 29},
    {"requiredDuringSchedulingIgnoredDuringExecution", SF_OBJ, 32},
};
static const struct sfield f29[] = {
    /* V1PreferredSchedulingTerm */
    {"preference", SF_OBJ, 30},
    {"weight", SF_INT32, -1},
};
static const struct sfield f30[] = {
    /* V1NodeSelectorTerm */
    {"matchExpressions", SF_LIST_OBJ, 31},
    {"matchFields", SF_LIST_OBJ, 31},
};
static const struct sfield f31[] = {
    /* V1NodeSelectorRequirement */
    {"key", SF_STR, -1},
    {"operator", SF_STR, -1},
    {"values", SF_LIST_STR, -1},
};
static const struct sfield f32[] = {
    /* V1NodeSelector */
    {"nodeSelectorTerms", SF_LIST_OBJ, 30},
};
static const struct sfield f33[] = {
    /* V1PodAffinity */
    {"preferredDuringSchedulingIgnoredDuringExecution", SF_LIST_OBJ, 34},
    {"requiredDuringSchedulingIgnoredDuringExecution", SF_LIST_OBJ, 35},
};
static const struct sfield f34[] = {
    /* V1WeightedPodAffinityTerm */
    {"podAffinityTerm", SF_OBJ, 35},
    {"weight", SF_INT32, -1},
};
static const struct sfield f35[] = {
    /* V1PodAffinityTerm */
    {"labelSelector", SF_OBJ, 36},          {"matchLabelKeys", SF_LIST_STR, -1},
    {"mismatchLabelKeys", SF_LIST_STR, -1}, {"namespaceSelector", SF_OBJ, 36},
    {"namespaces", SF_LIST_STR, -1},        {"topologyKey", SF_STR, -1},
};
static const struct sfield f36[] = {
    /* V1LabelSelector */
    {"matchExpressions", SF_LIST_OBJ, 37},
    {"matchLabels", SF_MAP_STR, -1},
};
static const struct sfield f37[] = {
    /* V1LabelSelectorRequirement */
    {"key", SF_STR, -1},
    {"operator", SF_STR, -1},
    {"values", SF_LIST_STR, -1},
};
static const struct sfield f38[] = {
    /* V1PodAntiAffinity */
    {"preferredDuringSchedulingIgnoredDuringExecution", SF_LIST_OBJ, 34},
    {"requiredDuringSchedulingIgnoredDuringExecution", SF_LIST_OBJ, 35},
};
static const struct sfield f39[] = {
    /* V1Container */
    {"args", SF_LIST_STR, -1},
    {"command", SF_LIST_STR, -1},
    {"env", SF_LIST_OBJ, 40},
    {"envFrom", SF_LIST_OBJ, 47},
    {"image", SF_STR, -1},
    {"imagePullPolicy", SF_STR, -1},
    {"lifecycle", SF_OBJ, 50},
    {"livenessProbe", SF_OBJ, 57},
    {"name", SF_STR, -1},
    {"ports", SF_LIST_OBJ, 59},
    {"readinessProbe", SF_OBJ, 57},
    {"resizePolicy", SF_LIST_OBJ, 60},
    {"resources", SF_OBJ, 61},
    {"restartPolicy", SF_STR, -1},
    {"restartPolicyRules", SF_LIST_OBJ, 63},
    {"securityContext", SF_OBJ, 65},
    {"startupProbe", SF_OBJ, 57},
    {"stdin", SF_BOOL, -1},
    {"stdinOnce", SF_BOOL, -1},
    {"terminationMessagePath", SF_STR, -1},
    {"terminationMessagePolicy", SF_STR, -1},
    {"tty", SF_BOOL, -1},
    {"volumeDevices", SF_LIST_OBJ, 71},
    {"volumeMounts", SF_LIST_OBJ, 72},
    {"workingDir", SF_STR, -1},
};
static const struct sfield f40[] = {
    /* V1EnvVar */
    {"name", SF_STR, -1},
    {"value", SF_STR, -1},
    {"valueFrom", SF_OBJ, 41},
};
static const struct sfield f41[] = {
    /* V1EnvVarSource */
    {"configMapKeyRef", SF_OBJ, 42},  {"fieldRef", SF_OBJ, 43},     {"fileKeyRef", SF_OBJ, 44},
    {"resourceFieldRef", SF_OBJ, 45}, {"secretKeyRef", SF_OBJ, 46},
};
static const struct sfield f42[] = {
    /* V1ConfigMapKeySelector */
    {"key", SF_STR, -1},
    {"name", SF_STR, -1},
    {"optional", SF_BOOL, -1},
};
static const struct sfield f43[] = {
    /* V1ObjectFieldSelector */
    {"apiVersion", SF_STR, -1},
    {"fieldPath", SF_STR, -1},
};
static const struct sfield f44[] = {
    /* V1FileKeySelector */
    {"key", SF_STR, -1},
    {"optional", SF_BOOL, -1},
    {"path", SF_STR, -1},
    {"volumeName", SF_STR, -1},
};
static const struct sfield f45[] = {
    /* V1ResourceFieldSelector */
    {"containerName", SF_STR, -1},
    {"divisor", SF_STR, -1},
    {"resource", SF_STR, -1},
};
static const struct sfield f46[] = {
    /* V1SecretKeySelector */
    {"key", SF_STR, -1},
    {"name", SF_STR, -1},
    {"optional", SF_BOOL, -1},
};
static const struct sfield f47[] = {
    /* V1EnvFromSource */
    {"configMapRef", SF_OBJ, 48},
    {"prefix", SF_STR, -1},
    {"secretRef", SF_OBJ, 49},
};
static const struct sfield f48[] = {
    /* V1ConfigMapEnvSource */
    {"name", SF_STR, -1},
    {"optional", SF_BOOL, -1},
};
static const struct sfield f49[] = {
    /* V1SecretEnvSource */
    {"name", SF_STR, -1},
    {"optional", SF_BOOL, -1},
};
static const struct sfield f50[] = {
    /* V1Lifecycle */
    {"postStart", SF_OBJ, 51},
    {"preStop", SF_OBJ, 51},
    {"stopSignal", SF_STR, -1},
};
static const struct sfield f51[] = {
    /* V1LifecycleHandler */
    {"exec", SF_OBJ, 52},
    {"httpGet", SF_OBJ, 53},
    {"sleep", SF_OBJ, 55},
    {"tcpSocket", SF_OBJ, 56},
};
static const struct sfield f52[] = {
    /* V1ExecAction */
    {"command", SF_LIST_STR, -1},
};
static const struct sfield f53[] = {
    /* V1HTTPGetAction */
    {"host", SF_STR, -1},      {"httpHeaders", SF_LIST_OBJ, 54}, {"path", SF_STR, -1},
    {"port", SF_INTORSTR, -1}, {"scheme", SF_STR, -1},
};
static const struct sfield f54[] = {
    /* V1HTTPHeader */
    {"name", SF_STR, -1},
    {"value", SF_STR, -1},
};
static const struct sfield f55[] = {
    /* V1SleepAction */
    {"seconds", SF_INT64, -1},
};
static const struct sfield f56[] = {
    /* V1TCPSocketAction */
    {"host", SF_STR, -1},
    {"port", SF_INTORSTR, -1},
};
static const struct sfield f57[] = {
    /* V1Probe */
    {"exec", SF_OBJ, 52},
    {"failureThreshold", SF_INT32, -1},
    {"grpc", SF_OBJ, 58},
    {"httpGet", SF_OBJ, 53},
    {"initialDelaySeconds", SF_INT32, -1},
    {"periodSeconds", SF_INT32, -1},
    {"successThreshold", SF_INT32, -1},
    {"tcpSocket", SF_OBJ, 56},
    {"terminationGracePeriodSeconds", SF_INT64, -1},
    {"timeoutSeconds", SF_INT32, -1},
};
static const struct sfield f58[] = {
    /* V1GRPCAction */
    {"port", SF_INT32, -1},
    {"service", SF_STR, -1},
};
static const struct sfield f59[] = {
    /* V1ContainerPort */
    {"containerPort", SF_INT32, -1}, {"hostIP", SF_STR, -1},
    {"hostPort", SF_INT32, -1},      {"name", SF_STR, -1},
    {"protocol", SF_STR, -1},
};
static const struct sfield f60[] = {
    /* V1ContainerResizePolicy */
    {"resourceName", SF_STR, -1},
    {"restartPolicy", SF_STR, -1},
};
static const struct sfield f61[] = {
    /* V1ResourceRequirements */
    {"claims", SF_LIST_OBJ, 62},
    {"limits", SF_MAP_QTY, -1},
    {"requests", SF_MAP_QTY, -1},
};
static const struct sfield f62[] = {
    /* CoreV1ResourceClaim */
    {"name", SF_STR, -1},
    {"request", SF_STR, -1},
};
static const struct sfield f63[] = {
    /* V1ContainerRestartRule */
    {"action", SF_STR, -1},
    {"exitCodes", SF_OBJ, 64},
};
static const struct sfield f64[] = {
    /* V1ContainerRestartRuleOnExitCodes */
    {"operator", SF_STR, -1},
    {"values", SF_LIST_INT, -1},
};
static const struct sfield f65[] = {
    /* V1SecurityContext */
    {"allowPrivilegeEscalation", SF_BOOL, -1},
    {"appArmorProfile", SF_OBJ, 66},
    {"capabilities", SF_OBJ, 67},
    {"privileged", SF_BOOL, -1},
    {"procMount", SF_STR, -1},
    {"readOnlyRootFilesystem", SF_BOOL, -1},
    {"runAsGroup", SF_INT64, -1},
    {"runAsNonRoot", SF_BOOL, -1},
    {"runAsUser", SF_INT64, -1},
    {"seLinuxOptions", SF_OBJ, 68},
    {"seccompProfile", SF_OBJ, 69},
    {"windowsOptions", SF_OBJ, 70},
};
static const struct sfield f66[] = {
    /* V1AppArmorProfile */
    {"localhostProfile", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f67[] = {
    /* V1Capabilities */
    {"add", SF_LIST_STR, -1},
    {"drop", SF_LIST_STR, -1},
};
static const struct sfield f68[] = {
    /* V1SELinuxOptions */
    {"level", SF_STR, -1},
    {"role", SF_STR, -1},
    {"type", SF_STR, -1},
    {"user", SF_STR, -1},
};
static const struct sfield f69[] = {
    /* V1SeccompProfile */
    {"localhostProfile", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f70[] = {
    /* V1WindowsSecurityContextOptions */
    {"gmsaCredentialSpec", SF_STR, -1},
    {"gmsaCredentialSpecName", SF_STR, -1},
    {"hostProcess", SF_BOOL, -1},
    {"runAsUserName", SF_STR, -1},
};
static const struct sfield f71[] = {
    /* V1VolumeDevice */
    {"devicePath", SF_STR, -1},
    {"name", SF_STR, -1},
};
static const struct sfield f72[] = {
    /* V1VolumeMount */
    {"mountPath", SF_STR, -1},   {"mountPropagation", SF_STR, -1},  {"name", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},   {"recursiveReadOnly", SF_STR, -1}, {"subPath", SF_STR, -1},
    {"subPathExpr", SF_STR, -1},
};
static const struct sfield f73[] = {
    /* V1PodDNSConfig */
    {"nameservers", SF_LIST_STR, -1},
    {"options", SF_LIST_OBJ, 74},
    {"searches", SF_LIST_STR, -1},
};
static const struct sfield f74[] = {
    /* V1PodDNSConfigOption */
    {"name", SF_STR, -1},
    {"value", SF_STR, -1},
};
static const struct sfield f75[] = {
    /* V1EphemeralContainer */
    {"args", SF_LIST_STR, -1},
    {"command", SF_LIST_STR, -1},
    {"env", SF_LIST_OBJ, 40},
    {"envFrom", SF_LIST_OBJ, 47},
    {"image", SF_STR, -1},
    {"imagePullPolicy", SF_STR, -1},
    {"lifecycle", SF_OBJ, 50},
    {"livenessProbe", SF_OBJ, 57},
    {"name", SF_STR, -1},
    {"ports", SF_LIST_OBJ, 59},
    {"readinessProbe", SF_OBJ, 57},
    {"resizePolicy", SF_LIST_OBJ, 60},
    {"resources", SF_OBJ, 61},
    {"restartPolicy", SF_STR, -1},
    {"restartPolicyRules", SF_LIST_OBJ, 63},
    {"securityContext", SF_OBJ, 65},
    {"startupProbe", SF_OBJ, 57},
    {"stdin", SF_BOOL, -1},
    {"stdinOnce", SF_BOOL, -1},
    {"targetContainerName", SF_STR, -1},
    {"terminationMessagePath", SF_STR, -1},
    {"terminationMessagePolicy", SF_STR, -1},
    {"tty", SF_BOOL, -1},
    {"volumeDevices", SF_LIST_OBJ, 71},
    {"volumeMounts", SF_LIST_OBJ, 72},
    {"workingDir", SF_STR, -1},
};
static const struct sfield f76[] = {
    /* V1HostAlias */
    {"hostnames", SF_LIST_STR, -1},
    {"ip", SF_STR, -1},
};
static const struct sfield f77[] = {
    /* V1LocalObjectReference */
    {"name", SF_STR, -1},
};
static const struct sfield f78[] = {
    /* V1PodOS */
    {"name", SF_STR, -1},
};
static const struct sfield f79[] = {
    /* V1PodReadinessGate */
    {"conditionType", SF_STR, -1},
};
static const struct sfield f80[] = {
    /* V1PodResourceClaim */
    {"name", SF_STR, -1},
    {"resourceClaimName", SF_STR, -1},
    {"resourceClaimTemplateName", SF_STR, -1},
};
static const struct sfield f81[] = {
    /* V1PodSchedulingGate */
    {"name", SF_STR, -1},
};
static const struct sfield f82[] = {
    /* V1PodSchedulingGroup */
    {"podGroupName", SF_STR, -1},
};
static const struct sfield f83[] = {
    /* V1PodSecurityContext */
    {"appArmorProfile", SF_OBJ, 66},
    {"fsGroup", SF_INT64, -1},
    {"fsGroupChangePolicy", SF_STR, -1},
    {"runAsGroup", SF_INT64, -1},
    {"runAsNonRoot", SF_BOOL, -1},
    {"runAsUser", SF_INT64, -1},
    {"seLinuxChangePolicy", SF_STR, -1},
    {"seLinuxOptions", SF_OBJ, 68},
    {"seccompProfile", SF_OBJ, 69},
    {"supplementalGroups", SF_LIST_INT, -1},
    {"supplementalGroupsPolicy", SF_STR, -1},
    {"sysctls", SF_LIST_OBJ, 84},
    {"windowsOptions", SF_OBJ, 70},
};
static const struct sfield f84[] = {
    /* V1Sysctl */
    {"name", SF_STR, -1},
    {"value", SF_STR, -1},
};
static const struct sfield f85[] = {
    /* V1Toleration */
    {"effect", SF_STR, -1},   {"key", SF_STR, -1},
    {"operator", SF_STR, -1}, {"tolerationSeconds", SF_INT64, -1},
    {"value", SF_STR, -1},
};
static const struct sfield f86[] = {
    /* V1TopologySpreadConstraint */
    {"labelSelector", SF_OBJ, 36},      {"matchLabelKeys", SF_LIST_STR, -1},
    {"maxSkew", SF_INT32, -1},          {"minDomains", SF_INT32, -1},
    {"nodeAffinityPolicy", SF_STR, -1}, {"nodeTaintsPolicy", SF_STR, -1},
    {"topologyKey", SF_STR, -1},        {"whenUnsatisfiable", SF_STR, -1},
};
static const struct sfield f87[] = {
    /* V1Volume */
    {"awsElasticBlockStore", SF_OBJ, 88},
    {"azureDisk", SF_OBJ, 89},
    {"azureFile", SF_OBJ, 90},
    {"cephfs", SF_OBJ, 91},
    {"cinder", SF_OBJ, 92},
    {"configMap", SF_OBJ, 93},
    {"csi", SF_OBJ, 95},
    {"downwardAPI", SF_OBJ, 96},
    {"emptyDir", SF_OBJ, 98},
    {"ephemeral", SF_OBJ, 99},
    {"fc", SF_OBJ, 105},
    {"flexVolume", SF_OBJ, 106},
    {"flocker", SF_OBJ, 107},
    {"gcePersistentDisk", SF_OBJ, 108},
    {"gitRepo", SF_OBJ, 109},
    {"glusterfs", SF_OBJ, 110},
    {"hostPath", SF_OBJ, 111},
    {"image", SF_OBJ, 112},
    {"iscsi", SF_OBJ, 113},
    {"name", SF_STR, -1},
    {"nfs", SF_OBJ, 114},
    {"persistentVolumeClaim", SF_OBJ, 115},
    {"photonPersistentDisk", SF_OBJ, 116},
    {"portworxVolume", SF_OBJ, 117},
    {"projected", SF_OBJ, 118},
    {"quobyte", SF_OBJ, 126},
    {"rbd", SF_OBJ, 127},
    {"scaleIO", SF_OBJ, 128},
    {"secret", SF_OBJ, 129},
    {"storageos", SF_OBJ, 130},
    {"vsphereVolume", SF_OBJ, 131},
};
static const struct sfield f88[] = {
    /* V1AWSElasticBlockStoreVolumeSource */
    {"fsType", SF_STR, -1},
    {"partition", SF_INT32, -1},
    {"readOnly", SF_BOOL, -1},
    {"volumeID", SF_STR, -1},
};
static const struct sfield f89[] = {
    /* V1AzureDiskVolumeSource */
    {"cachingMode", SF_STR, -1}, {"diskName", SF_STR, -1}, {"diskURI", SF_STR, -1},
    {"fsType", SF_STR, -1},      {"kind", SF_STR, -1},     {"readOnly", SF_BOOL, -1},
};
static const struct sfield f90[] = {
    /* V1AzureFileVolumeSource */
    {"readOnly", SF_BOOL, -1},
    {"secretName", SF_STR, -1},
    {"shareName", SF_STR, -1},
};
static const struct sfield f91[] = {
    /* V1CephFSVolumeSource */
    {"monitors", SF_LIST_STR, -1}, {"path", SF_STR, -1},      {"readOnly", SF_BOOL, -1},
    {"secretFile", SF_STR, -1},    {"secretRef", SF_OBJ, 77}, {"user", SF_STR, -1},
};
static const struct sfield f92[] = {
    /* V1CinderVolumeSource */
    {"fsType", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},
    {"secretRef", SF_OBJ, 77},
    {"volumeID", SF_STR, -1},
};
static const struct sfield f93[] = {
    /* V1ConfigMapVolumeSource */
    {"defaultMode", SF_INT32, -1},
    {"items", SF_LIST_OBJ, 94},
    {"name", SF_STR, -1},
    {"optional", SF_BOOL, -1},
};
static const struct sfield f94[] = {
    /* V1KeyToPath */
    {"key", SF_STR, -1},
    {"mode", SF_INT32, -1},
    {"path", SF_STR, -1},
};
static const struct sfield f95[] = {
    /* V1CSIVolumeSource */
    {"driver", SF_STR, -1},
    {"fsType", SF_STR, -1},
    {"nodePublishSecretRef", SF_OBJ, 77},
    {"readOnly", SF_BOOL, -1},
    {"volumeAttributes", SF_MAP_STR, -1},
};
static const struct sfield f96[] = {
    /* V1DownwardAPIVolumeSource */
    {"defaultMode", SF_INT32, -1},
    {"items", SF_LIST_OBJ, 97},
};
static const struct sfield f97[] = {
    /* V1DownwardAPIVolumeFile */
    {"fieldRef", SF_OBJ, 43},
    {"mode", SF_INT32, -1},
    {"path", SF_STR, -1},
    {"resourceFieldRef", SF_OBJ, 45},
};
static const struct sfield f98[] = {
    /* V1EmptyDirVolumeSource */
    {"medium", SF_STR, -1},
    {"sizeLimit", SF_QTY, -1},
};
static const struct sfield f99[] = {
    /* V1EphemeralVolumeSource */
    {"volumeClaimTemplate", SF_OBJ, 100},
};
static const struct sfield f100[] = {
    /* V1PersistentVolumeClaimTemplate */
    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 101},
};
static const struct sfield f101[] = {
    /* V1PersistentVolumeClaimSpec */
    {"accessModes", SF_LIST_STR, -1},
    {"dataSource", SF_OBJ, 102},
    {"dataSourceRef", SF_OBJ, 103},
    {"resources", SF_OBJ, 104},
    {"selector", SF_OBJ, 36},
    {"storageClassName", SF_STR, -1},
    {"volumeAttributesClassName", SF_STR, -1},
    {"volumeMode", SF_STR, -1},
    {"volumeName", SF_STR, -1},
};
static const struct sfield f102[] = {
    /* V1TypedLocalObjectReference */
    {"apiGroup", SF_STR, -1},
    {"kind", SF_STR, -1},
    {"name", SF_STR, -1},
};
static const struct sfield f103[] = {
    /* V1TypedObjectReference */
    {"apiGroup", SF_STR, -1},
    {"kind", SF_STR, -1},
    {"name", SF_STR, -1},
    {"namespace", SF_STR, -1},
};
static const struct sfield f104[] = {
    /* V1VolumeResourceRequirements */
    {"limits", SF_MAP_QTY, -1},
    {"requests", SF_MAP_QTY, -1},
};
static const struct sfield f105[] = {
    /* V1FCVolumeSource */
    {"fsType", SF_STR, -1},          {"lun", SF_INT32, -1},      {"readOnly", SF_BOOL, -1},
    {"targetWWNs", SF_LIST_STR, -1}, {"wwids", SF_LIST_STR, -1},
};
static const struct sfield f106[] = {
    /* V1FlexVolumeSource */
    {"driver", SF_STR, -1},    {"fsType", SF_STR, -1},    {"options", SF_MAP_STR, -1},
    {"readOnly", SF_BOOL, -1}, {"secretRef", SF_OBJ, 77},
};
static const struct sfield f107[] = {
    /* V1FlockerVolumeSource */
    {"datasetName", SF_STR, -1},
    {"datasetUUID", SF_STR, -1},
};
static const struct sfield f108[] = {
    /* V1GCEPersistentDiskVolumeSource */
    {"fsType", SF_STR, -1},
    {"partition", SF_INT32, -1},
    {"pdName", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},
};
static const struct sfield f109[] = {
    /* V1GitRepoVolumeSource */
    {"directory", SF_STR, -1},
    {"repository", SF_STR, -1},
    {"revision", SF_STR, -1},
};
static const struct sfield f110[] = {
    /* V1GlusterfsVolumeSource */
    {"endpoints", SF_STR, -1},
    {"path", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},
};
static const struct sfield f111[] = {
    /* V1HostPathVolumeSource */
    {"path", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f112[] = {
    /* V1ImageVolumeSource */
    {"pullPolicy", SF_STR, -1},
    {"reference", SF_STR, -1},
};
static const struct sfield f113[] = {
    /* V1ISCSIVolumeSource */
    {"chapAuthDiscovery", SF_BOOL, -1},
    {"chapAuthSession", SF_BOOL, -1},
    {"fsType", SF_STR, -1},
    {"initiatorName", SF_STR, -1},
    {"iqn", SF_STR, -1},
    {"iscsiInterface", SF_STR, -1},
    {"lun", SF_INT32, -1},
    {"portals", SF_LIST_STR, -1},
    {"readOnly", SF_BOOL, -1},
    {"secretRef", SF_OBJ, 77},
    {"targetPortal", SF_STR, -1},
};
static const struct sfield f114[] = {
    /* V1NFSVolumeSource */
    {"path", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},
    {"server", SF_STR, -1},
};
static const struct sfield f115[] = {
    /* V1PersistentVolumeClaimVolumeSource */
    {"claimName", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},
};
static const struct sfield f116[] = {
    /* V1PhotonPersistentDiskVolumeSource */
    {"fsType", SF_STR, -1},
    {"pdID", SF_STR, -1},
};
static const struct sfield f117[] = {
    /* V1PortworxVolumeSource */
    {"fsType", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},
    {"volumeID", SF_STR, -1},
};
static const struct sfield f118[] = {
    /* V1ProjectedVolumeSource */
    {"defaultMode", SF_INT32, -1},
    {"sources", SF_LIST_OBJ, 119},
};
static const struct sfield f119[] = {
    /* V1VolumeProjection */
    {"clusterTrustBundle", SF_OBJ, 120},
    {"configMap", SF_OBJ, 121},
    {"downwardAPI", SF_OBJ, 122},
    {"podCertificate", SF_OBJ, 123},
    {"secret", SF_OBJ, 124},
    {"serviceAccountToken", SF_OBJ, 125},
};
static const struct sfield f120[] = {
    /* V1ClusterTrustBundleProjection */
    {"labelSelector", SF_OBJ, 36}, {"name", SF_STR, -1},       {"optional", SF_BOOL, -1},
    {"path", SF_STR, -1},          {"signerName", SF_STR, -1},
};
static const struct sfield f121[] = {
    /* V1ConfigMapProjection */
    {"items", SF_LIST_OBJ, 94},
    {"name", SF_STR, -1},
    {"optional", SF_BOOL, -1},
};
static const struct sfield f122[] = {
    /* V1DownwardAPIProjection */
    {"items", SF_LIST_OBJ, 97},
};
static const struct sfield f123[] = {
    /* V1PodCertificateProjection */
    {"certificateChainPath", SF_STR, -1},
    {"credentialBundlePath", SF_STR, -1},
    {"keyPath", SF_STR, -1},
    {"keyType", SF_STR, -1},
    {"maxExpirationSeconds", SF_INT32, -1},
    {"signerName", SF_STR, -1},
    {"userAnnotations", SF_MAP_STR, -1},
};
static const struct sfield f124[] = {
    /* V1SecretProjection */
    {"items", SF_LIST_OBJ, 94},
    {"name", SF_STR, -1},
    {"optional", SF_BOOL, -1},
};
static const struct sfield f125[] = {
    /* V1ServiceAccountTokenProjection */
    {"audience", SF_STR, -1},
    {"expirationSeconds", SF_INT64, -1},
    {"path", SF_STR, -1},
};
static const struct sfield f126[] = {
    /* V1QuobyteVolumeSource */
    {"group", SF_STR, -1},  {"readOnly", SF_BOOL, -1}, {"registry", SF_STR, -1},
    {"tenant", SF_STR, -1}, {"user", SF_STR, -1},      {"volume", SF_STR, -1},
};
static const struct sfield f127[] = {
    /* V1RBDVolumeSource */
    {"fsType", SF_STR, -1},        {"image", SF_STR, -1}, {"keyring", SF_STR, -1},
    {"monitors", SF_LIST_STR, -1}, {"pool", SF_STR, -1},  {"readOnly", SF_BOOL, -1},
    {"secretRef", SF_OBJ, 77},     {"user", SF_STR, -1},
};
static const struct sfield f128[] = {
    /* V1ScaleIOVolumeSource */
    {"fsType", SF_STR, -1},      {"gateway", SF_STR, -1},     {"protectionDomain", SF_STR, -1},
    {"readOnly", SF_BOOL, -1},   {"secretRef", SF_OBJ, 77},   {"sslEnabled", SF_BOOL, -1},
    {"storageMode", SF_STR, -1}, {"storagePool", SF_STR, -1}, {"system", SF_STR, -1},
    {"volumeName", SF_STR, -1},
};
static const struct sfield f129[] = {
    /* V1SecretVolumeSource */
    {"defaultMode", SF_INT32, -1},
    {"items", SF_LIST_OBJ, 94},
    {"optional", SF_BOOL, -1},
    {"secretName", SF_STR, -1},
};
static const struct sfield f130[] = {
    /* V1StorageOSVolumeSource */
    {"fsType", SF_STR, -1},     {"readOnly", SF_BOOL, -1},       {"secretRef", SF_OBJ, 77},
    {"volumeName", SF_STR, -1}, {"volumeNamespace", SF_STR, -1},
};
static const struct sfield f131[] = {
    /* V1VsphereVirtualDiskVolumeSource */
    {"fsType", SF_STR, -1},
    {"storagePolicyID", SF_STR, -1},
    {"storagePolicyName", SF_STR, -1},
    {"volumePath", SF_STR, -1},
};
static const struct sfield f132[] = {
    /* V1PodStatus */
    {"allocatedResources", SF_MAP_STR, -1},
    {"conditions", SF_LIST_OBJ, 133},
    {"containerStatuses", SF_LIST_OBJ, 134},
    {"ephemeralContainerStatuses", SF_LIST_OBJ, 134},
    {"extendedResourceClaimStatus", SF_OBJ, 146},
    {"hostIP", SF_STR, -1},
    {"hostIPs", SF_LIST_OBJ, 148},
    {"initContainerStatuses", SF_LIST_OBJ, 134},
    {"message", SF_STR, -1},
    {"nodeAllocatableResourceClaimStatuses", SF_LIST_OBJ, 149},
    {"nominatedNodeName", SF_STR, -1},
    {"observedGeneration", SF_INT64, -1},
    {"phase", SF_STR, -1},
    {"podIP", SF_STR, -1},
    {"podIPs", SF_LIST_OBJ, 150},
    {"qosClass", SF_STR, -1},
    {"reason", SF_STR, -1},
    {"resize", SF_STR, -1},
    {"resourceClaimStatuses", SF_LIST_OBJ, 151},
    {"resources", SF_OBJ, 61},
    {"startTime", SF_TIME, -1},
};
static const struct sfield f133[] = {
    /* V1PodCondition */
    {"lastProbeTime", SF_TIME, -1}, {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},        {"observedGeneration", SF_INT64, -1},
    {"reason", SF_STR, -1},         {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f134[] = {
    /* V1ContainerStatus */
    {"allocatedResources", SF_MAP_STR, -1},
    {"allocatedResourcesStatus", SF_LIST_OBJ, 135},
    {"containerID", SF_STR, -1},
    {"image", SF_STR, -1},
    {"imageID", SF_STR, -1},
    {"lastState", SF_OBJ, 137},
    {"name", SF_STR, -1},
    {"ready", SF_BOOL, -1},
    {"resources", SF_OBJ, 61},
    {"restartCount", SF_INT32, -1},
    {"started", SF_BOOL, -1},
    {"state", SF_OBJ, 137},
    {"stopSignal", SF_STR, -1},
    {"user", SF_OBJ, 141},
    {"volumeMounts", SF_LIST_OBJ, 143},
};
static const struct sfield f135[] = {
    /* V1ResourceStatus */
    {"name", SF_STR, -1},
    {"resources", SF_LIST_OBJ, 136},
};
static const struct sfield f136[] = {
    /* V1ResourceHealth */
    {"health", SF_STR, -1},
    {"message", SF_STR, -1},
    {"resourceID", SF_STR, -1},
};
static const struct sfield f137[] = {
    /* V1ContainerState */
    {"running", SF_OBJ, 138},
    {"terminated", SF_OBJ, 139},
    {"waiting", SF_OBJ, 140},
};
static const struct sfield f138[] = {
    /* V1ContainerStateRunning */
    {"startedAt", SF_TIME, -1},
};
static const struct sfield f139[] = {
    /* V1ContainerStateTerminated */
    {"containerID", SF_STR, -1}, {"exitCode", SF_INT32, -1}, {"finishedAt", SF_TIME, -1},
    {"message", SF_STR, -1},     {"reason", SF_STR, -1},     {"signal", SF_INT32, -1},
    {"startedAt", SF_TIME, -1},
};
static const struct sfield f140[] = {
    /* V1ContainerStateWaiting */
    {"message", SF_STR, -1},
    {"reason", SF_STR, -1},
};
static const struct sfield f141[] = {
    /* V1ContainerUser */
    {"linux", SF_OBJ, 142},
};
static const struct sfield f142[] = {
    /* V1LinuxContainerUser */
    {"gid", SF_INT64, -1},
    {"supplementalGroups", SF_LIST_INT, -1},
    {"uid", SF_INT64, -1},
};
static const struct sfield f143[] = {
    /* V1VolumeMountStatus */
    {"mountPath", SF_STR, -1},         {"name", SF_STR, -1},          {"readOnly", SF_BOOL, -1},
    {"recursiveReadOnly", SF_STR, -1}, {"volumeStatus", SF_OBJ, 144},
};
static const struct sfield f144[] = {
    /* V1VolumeStatus */
    {"image", SF_OBJ, 145},
};
static const struct sfield f145[] = {
    /* V1ImageVolumeStatus */
    {"imageRef", SF_STR, -1},
};
static const struct sfield f146[] = {
    /* V1PodExtendedResourceClaimStatus */
    {"requestMappings", SF_LIST_OBJ, 147},
    {"resourceClaimName", SF_STR, -1},
};
static const struct sfield f147[] = {
    /* V1ContainerExtendedResourceRequest */
    {"containerName", SF_STR, -1},
    {"requestName", SF_STR, -1},
    {"resourceName", SF_STR, -1},
};
static const struct sfield f148[] = {
    /* V1HostIP */
    {"ip", SF_STR, -1},
};
static const struct sfield f149[] = {
    /* V1NodeAllocatableResourceClaimStatus */
    {"containers", SF_LIST_STR, -1},
    {"resourceClaimName", SF_STR, -1},
    {"resources", SF_MAP_STR, -1},
};
static const struct sfield f150[] = {
    /* V1PodIP */
    {"ip", SF_STR, -1},
};
static const struct sfield f151[] = {
    /* V1PodResourceClaimStatus */
    {"name", SF_STR, -1},
    {"resourceClaimName", SF_STR, -1},
};
static const struct sfield f152[] = {
    /* V1Service */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 153},      {"status", SF_OBJ, 157},
};
static const struct sfield f153[] = {
    /* V1ServiceSpec */
    {"allocateLoadBalancerNodePorts", SF_BOOL, -1},
    {"clusterIP", SF_STR, -1},
    {"clusterIPs", SF_LIST_STR, -1},
    {"externalIPs", SF_LIST_STR, -1},
    {"externalName", SF_STR, -1},
    {"externalTrafficPolicy", SF_STR, -1},
    {"healthCheckNodePort", SF_INT32, -1},
    {"internalTrafficPolicy", SF_STR, -1},
    {"ipFamilies", SF_LIST_STR, -1},
    {"ipFamilyPolicy", SF_STR, -1},
    {"loadBalancerClass", SF_STR, -1},
    {"loadBalancerIP", SF_STR, -1},
    {"loadBalancerSourceRanges", SF_LIST_STR, -1},
    {"ports", SF_LIST_OBJ, 154},
    {"publishNotReadyAddresses", SF_BOOL, -1},
    {"selector", SF_MAP_STR, -1},
    {"sessionAffinity", SF_STR, -1},
    {"sessionAffinityConfig", SF_OBJ, 155},
    {"trafficDistribution", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f154[] = {
    /* V1ServicePort */
    {"appProtocol", SF_STR, -1}, {"name", SF_STR, -1},     {"nodePort", SF_INT32, -1},
    {"port", SF_INT32, -1},      {"protocol", SF_STR, -1}, {"targetPort", SF_INTORSTR, -1},
};
static const struct sfield f155[] = {
    /* V1SessionAffinityConfig */
    {"clientIP", SF_OBJ, 156},
};
static const struct sfield f156[] = {
    /* V1ClientIPConfig */
    {"timeoutSeconds", SF_INT32, -1},
};
static const struct sfield f157[] = {
    /* V1ServiceStatus */
    {"conditions", SF_LIST_OBJ, 158},
    {"loadBalancer", SF_OBJ, 159},
};
static const struct sfield f158[] = {
    /* V1Condition */
    {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"observedGeneration", SF_INT64, -1},
    {"reason", SF_STR, -1},
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f159[] = {
    /* V1LoadBalancerStatus */
    {"ingress", SF_LIST_OBJ, 160},
};
static const struct sfield f160[] = {
    /* V1LoadBalancerIngress */
    {"hostname", SF_STR, -1},
    {"ip", SF_STR, -1},
    {"ipMode", SF_STR, -1},
    {"ports", SF_LIST_OBJ, 161},
};
static const struct sfield f161[] = {
    /* V1PortStatus */
    {"error", SF_STR, -1},
    {"port", SF_INT32, -1},
    {"protocol", SF_STR, -1},
};
static const struct sfield f162[] = {
    /* V1ConfigMap */
    {"apiVersion", SF_STR, -1}, {"binaryData", SF_MAP_STR, -1}, {"data", SF_MAP_STR, -1},
    {"immutable", SF_BOOL, -1}, {"kind", SF_STR, -1},           {"metadata", SF_OBJ, 1},
};
static const struct sfield f163[] = {
    /* V1Secret */
    {"apiVersion", SF_STR, -1}, {"data", SF_MAP_STR, -1}, {"immutable", SF_BOOL, -1},
    {"kind", SF_STR, -1},       {"metadata", SF_OBJ, 1},  {"stringData", SF_MAP_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f164[] = {
    /* V1ServiceAccount */
    {"apiVersion", SF_STR, -1},
    {"automountServiceAccountToken", SF_BOOL, -1},
    {"imagePullSecrets", SF_LIST_OBJ, 77},
    {"kind", SF_STR, -1},
    {"metadata", SF_OBJ, 1},
    {"secrets", SF_LIST_OBJ, 165},
};
static const struct sfield f165[] = {
    /* V1ObjectReference */
    {"apiVersion", SF_STR, -1}, {"fieldPath", SF_STR, -1}, {"kind", SF_STR, -1},
    {"name", SF_STR, -1},       {"namespace", SF_STR, -1}, {"resourceVersion", SF_STR, -1},
    {"uid", SF_STR, -1},
};
static const struct sfield f166[] = {
    /* V1PersistentVolumeClaim */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 101},      {"status", SF_OBJ, 167},
};
static const struct sfield f167[] = {
    /* V1PersistentVolumeClaimStatus */
    {"accessModes", SF_LIST_STR, -1},       {"allocatedResourceStatuses", SF_MAP_STR, -1},
    {"allocatedResources", SF_MAP_STR, -1}, {"capacity", SF_MAP_QTY, -1},
    {"conditions", SF_LIST_OBJ, 168},       {"currentVolumeAttributesClassName", SF_STR, -1},
    {"modifyVolumeStatus", SF_OBJ, 169},    {"phase", SF_STR, -1},
};
static const struct sfield f168[] = {
    /* V1PersistentVolumeClaimCondition */
    {"lastProbeTime", SF_TIME, -1}, {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},        {"reason", SF_STR, -1},
    {"status", SF_STR, -1},         {"type", SF_STR, -1},
};
static const struct sfield f169[] = {
    /* V1ModifyVolumeStatus */
    {"status", SF_STR, -1},
    {"targetVolumeAttributesClassName", SF_STR, -1},
};
static const struct sfield f170[] = {
    /* CoreV1Event */
    {"action", SF_STR, -1},
    {"apiVersion", SF_STR, -1},
    {"count", SF_INT32, -1},
    {"eventTime", SF_ANY, -1},
    {"firstTimestamp", SF_TIME, -1},
    {"involvedObject", SF_OBJ, 165},
    {"kind", SF_STR, -1},
    {"lastTimestamp", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"metadata", SF_OBJ, 1},
    {"reason", SF_STR, -1},
    {"related", SF_OBJ, 165},
    {"reportingComponent", SF_STR, -1},
    {"reportingInstance", SF_STR, -1},
    {"series", SF_OBJ, 171},
    {"source", SF_OBJ, 172},
    {"type", SF_STR, -1},
};
static const struct sfield f171[] = {
    /* CoreV1EventSeries */
    {"count", SF_INT32, -1},
    {"lastObservedTime", SF_ANY, -1},
};
static const struct sfield f172[] = {
    /* V1EventSource */
    {"component", SF_STR, -1},
    {"host", SF_STR, -1},
};
static const struct sfield f173[] = {
    /* V1Deployment */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 174},      {"status", SF_OBJ, 178},
};
static const struct sfield f174[] = {
    /* V1DeploymentSpec */
    {"minReadySeconds", SF_INT32, -1},
    {"paused", SF_BOOL, -1},
    {"progressDeadlineSeconds", SF_INT32, -1},
    {"replicas", SF_INT32, -1},
    {"revisionHistoryLimit", SF_INT32, -1},
    {"selector", SF_OBJ, 36},
    {"strategy", SF_OBJ, 175},
    {"template", SF_OBJ, 177},
};
static const struct sfield f175[] = {
    /* V1DeploymentStrategy */
    {"rollingUpdate", SF_OBJ, 176},
    {"type", SF_STR, -1},
};
static const struct sfield f176[] = {
    /* V1RollingUpdateDeployment */
    {"maxSurge", SF_INTORSTR, -1},
    {"maxUnavailable", SF_INTORSTR, -1},
};
static const struct sfield f177[] = {
    /* V1PodTemplateSpec */
    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 26},
};
static const struct sfield f178[] = {
    /* V1DeploymentStatus */
    {"availableReplicas", SF_INT32, -1},   {"collisionCount", SF_INT32, -1},
    {"conditions", SF_LIST_OBJ, 179},      {"observedGeneration", SF_INT64, -1},
    {"readyReplicas", SF_INT32, -1},       {"replicas", SF_INT32, -1},
    {"terminatingReplicas", SF_INT32, -1}, {"unavailableReplicas", SF_INT32, -1},
    {"updatedReplicas", SF_INT32, -1},
};
static const struct sfield f179[] = {
    /* V1DeploymentCondition */
    {"lastTransitionTime", SF_TIME, -1},
    {"lastUpdateTime", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"reason", SF_STR, -1},
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f180[] = {
    /* V1ReplicaSet */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 181},      {"status", SF_OBJ, 182},
};
static const struct sfield f181[] = {
    /* V1ReplicaSetSpec */
    {"minReadySeconds", SF_INT32, -1},
    {"replicas", SF_INT32, -1},
    {"selector", SF_OBJ, 36},
    {"template", SF_OBJ, 177},
};
static const struct sfield f182[] = {
    /* V1ReplicaSetStatus */
    {"availableReplicas", SF_INT32, -1},    {"conditions", SF_LIST_OBJ, 183},
    {"fullyLabeledReplicas", SF_INT32, -1}, {"observedGeneration", SF_INT64, -1},
    {"readyReplicas", SF_INT32, -1},        {"replicas", SF_INT32, -1},
    {"terminatingReplicas", SF_INT32, -1},
};
static const struct sfield f183[] = {
    /* V1ReplicaSetCondition */
    {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"reason", SF_STR, -1},
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f184[] = {
    /* V1StatefulSet */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 185},      {"status", SF_OBJ, 190},
};
static const struct sfield f185[] = {
    /* V1StatefulSetSpec */
    {"minReadySeconds", SF_INT32, -1},
    {"ordinals", SF_OBJ, 186},
    {"persistentVolumeClaimRetentionPolicy", SF_OBJ, 187},
    {"podManagementPolicy", SF_STR, -1},
    {"replicas", SF_INT32, -1},
    {"revisionHistoryLimit", SF_INT32, -1},
    {"selector", SF_OBJ, 36},
    {"serviceName", SF_STR, -1},
    {"template", SF_OBJ, 177},
    {"updateStrategy", SF_OBJ, 188},
    {"volumeClaimTemplates", SF_LIST_OBJ, 166},
};
static const struct sfield f186[] = {
    /* V1StatefulSetOrdinals */
    {"start", SF_INT32, -1},
};
static const struct sfield f187[] = {
    /* V1StatefulSetPersistentVolumeClaimRetentionPolicy */
    {"whenDeleted", SF_STR, -1},
    {"whenScaled", SF_STR, -1},
};
static const struct sfield f188[] = {
    /* V1StatefulSetUpdateStrategy */
    {"rollingUpdate", SF_OBJ, 189},
    {"type", SF_STR, -1},
};
static const struct sfield f189[] = {
    /* V1RollingUpdateStatefulSetStrategy */
    {"maxUnavailable", SF_INTORSTR, -1},
    {"partition", SF_INT32, -1},
};
static const struct sfield f190[] = {
    /* V1StatefulSetStatus */
    {"availableReplicas", SF_INT32, -1}, {"collisionCount", SF_INT32, -1},
    {"conditions", SF_LIST_OBJ, 191},    {"currentReplicas", SF_INT32, -1},
    {"currentRevision", SF_STR, -1},     {"observedGeneration", SF_INT64, -1},
    {"readyReplicas", SF_INT32, -1},     {"replicas", SF_INT32, -1},
    {"updateRevision", SF_STR, -1},      {"updatedReplicas", SF_INT32, -1},
};
static const struct sfield f191[] = {
    /* V1StatefulSetCondition */
    {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"reason", SF_STR, -1},
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f192[] = {
    /* V1DaemonSet */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 193},      {"status", SF_OBJ, 196},
};
static const struct sfield f193[] = {
    /* V1DaemonSetSpec */
    {"minReadySeconds", SF_INT32, -1}, {"revisionHistoryLimit", SF_INT32, -1},
    {"selector", SF_OBJ, 36},          {"template", SF_OBJ, 177},
    {"updateStrategy", SF_OBJ, 194},
};
static const struct sfield f194[] = {
    /* V1DaemonSetUpdateStrategy */
    {"rollingUpdate", SF_OBJ, 195},
    {"type", SF_STR, -1},
};
static const struct sfield f195[] = {
    /* V1RollingUpdateDaemonSet */
    {"maxSurge", SF_INTORSTR, -1},
    {"maxUnavailable", SF_INTORSTR, -1},
};
static const struct sfield f196[] = {
    /* V1DaemonSetStatus */
    {"collisionCount", SF_INT32, -1},
    {"conditions", SF_LIST_OBJ, 197},
    {"currentNumberScheduled", SF_INT32, -1},
    {"desiredNumberScheduled", SF_INT32, -1},
    {"numberAvailable", SF_INT32, -1},
    {"numberMisscheduled", SF_INT32, -1},
    {"numberReady", SF_INT32, -1},
    {"numberUnavailable", SF_INT32, -1},
    {"observedGeneration", SF_INT64, -1},
    {"updatedNumberScheduled", SF_INT32, -1},
};
static const struct sfield f197[] = {
    /* V1DaemonSetCondition */
    {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},
    {"reason", SF_STR, -1},
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f198[] = {
    /* V1Job */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 199},      {"status", SF_OBJ, 206},
};
static const struct sfield f199[] = {
    /* V1JobSpec */
    {"activeDeadlineSeconds", SF_INT64, -1},
    {"backoffLimit", SF_INT32, -1},
    {"backoffLimitPerIndex", SF_INT32, -1},
    {"completionMode", SF_STR, -1},
    {"completions", SF_INT32, -1},
    {"managedBy", SF_STR, -1},
    {"manualSelector", SF_BOOL, -1},
    {"maxFailedIndexes", SF_INT32, -1},
    {"parallelism", SF_INT32, -1},
    {"podFailurePolicy", SF_OBJ, 200},
    {"podReplacementPolicy", SF_STR, -1},
    {"selector", SF_OBJ, 36},
    {"successPolicy", SF_OBJ, 204},
    {"suspend", SF_BOOL, -1},
    {"template", SF_OBJ, 177},
    {"ttlSecondsAfterFinished", SF_INT32, -1},
};
static const struct sfield f200[] = {
    /* V1PodFailurePolicy */
    {"rules", SF_LIST_OBJ, 201},
};
static const struct sfield f201[] = {
    /* V1PodFailurePolicyRule */
    {"action", SF_STR, -1},
    {"onExitCodes", SF_OBJ, 202},
    {"onPodConditions", SF_LIST_OBJ, 203},
};
static const struct sfield f202[] = {
    /* V1PodFailurePolicyOnExitCodesRequirement */
    {"containerName", SF_STR, -1},
    {"operator", SF_STR, -1},
    {"values", SF_LIST_INT, -1},
};
static const struct sfield f203[] = {
    /* V1PodFailurePolicyOnPodConditionsPattern */
    {"status", SF_STR, -1},
    {"type", SF_STR, -1},
};
static const struct sfield f204[] = {
    /* V1SuccessPolicy */
    {"rules", SF_LIST_OBJ, 205},
};
static const struct sfield f205[] = {
    /* V1SuccessPolicyRule */
    {"succeededCount", SF_INT32, -1},
    {"succeededIndexes", SF_STR, -1},
};
static const struct sfield f206[] = {
    /* V1JobStatus */
    {"active", SF_INT32, -1},
    {"completedIndexes", SF_STR, -1},
    {"completionTime", SF_TIME, -1},
    {"conditions", SF_LIST_OBJ, 207},
    {"failed", SF_INT32, -1},
    {"failedIndexes", SF_STR, -1},
    {"ready", SF_INT32, -1},
    {"startTime", SF_TIME, -1},
    {"succeeded", SF_INT32, -1},
    {"terminating", SF_INT32, -1},
    {"uncountedTerminatedPods", SF_OBJ, 208},
};
static const struct sfield f207[] = {
    /* V1JobCondition */
    {"lastProbeTime", SF_TIME, -1}, {"lastTransitionTime", SF_TIME, -1},
    {"message", SF_STR, -1},        {"reason", SF_STR, -1},
    {"status", SF_STR, -1},         {"type", SF_STR, -1},
};
static const struct sfield f208[] = {
    /* V1UncountedTerminatedPods */
    {"failed", SF_LIST_STR, -1},
    {"succeeded", SF_LIST_STR, -1},
};
static const struct sfield f209[] = {
    /* V1Ingress */
    {"apiVersion", SF_STR, -1}, {"kind", SF_STR, -1},    {"metadata", SF_OBJ, 1},
    {"spec", SF_OBJ, 210},      {"status", SF_OBJ, 218},
};
static const struct sfield f210[] = {
    /* V1IngressSpec */
    {"defaultBackend", SF_OBJ, 211},
    {"ingressClassName", SF_STR, -1},
    {"rules", SF_LIST_OBJ, 214},
    {"tls", SF_LIST_OBJ, 217},
};
static const struct sfield f211[] = {
    /* V1IngressBackend */
    {"resource", SF_OBJ, 102},
    {"service", SF_OBJ, 212},
};
static const struct sfield f212[] = {
    /* V1IngressServiceBackend */
    {"name", SF_STR, -1},
    {"port", SF_OBJ, 213},
};
static const struct sfield f213[] = {
    /* V1ServiceBackendPort */
    {"name", SF_STR, -1},
    {"number", SF_INT32, -1},
};
static const struct sfield f214[] = {
    /* V1IngressRule */
    {"host", SF_STR, -1},
    {"http", SF_OBJ, 215},
};
static const struct sfield f215[] = {
    /* V1HTTPIngressRuleValue */
    {"paths", SF_LIST_OBJ, 216},
};
static const struct sfield f216[] = {
    /* V1HTTPIngressPath */
    {"backend", SF_OBJ, 211},
    {"path", SF_STR, -1},
    {"pathType", SF_STR, -1},
};
static const struct sfield f217[] = {
    /* V1IngressTLS */
    {"hosts", SF_LIST_STR, -1},
    {"secretName", SF_STR, -1},
};
static const struct sfield f218[] = {
    /* V1IngressStatus */
    {"loadBalancer", SF_OBJ, 219},
};
static const struct sfield f219[] = {
    /* V1IngressLoadBalancerStatus */
    {"ingress", SF_LIST_OBJ, 220},
};
static const struct sfield f220[] = {
    /* V1IngressLoadBalancerIngress */
    {"hostname", SF_STR, -1},
    {"ip", SF_STR, -1},
    {"ports", SF_LIST_OBJ, 221},
};
static const struct sfield f221[] = {
    /* V1IngressPortStatus */
    {"error", SF_STR, -1},
    {"port", SF_INT32, -1},
    {"protocol", SF_STR, -1},
};
static const struct sfield f222[] = {
    /* V1StorageClass */
    {"allowVolumeExpansion", SF_BOOL, -1},
    {"allowedTopologies", SF_LIST_OBJ, 223},
    {"apiVersion", SF_STR, -1},
    {"kind", SF_STR, -1},
    {"metadata", SF_OBJ, 1},
    {"mountOptions", SF_LIST_STR, -1},
    {"parameters", SF_MAP_STR, -1},
    {"provisioner", SF_STR, -1},
    {"reclaimPolicy", SF_STR, -1},
    {"volumeBindingMode", SF_STR, -1},
};
static const struct sfield f223[] = {
    /* V1TopologySelectorTerm */
    {"matchLabelExpressions", SF_LIST_OBJ, 224},
};
static const struct sfield f224[] = {
    /* V1TopologySelectorLabelRequirement */
    {"key", SF_STR, -1},
    {"values", SF_LIST_STR, -1},
};

const struct stype schema_types[] = {
    {"Namespace", f0, sizeof(f0) / sizeof(f0[0])},
    {"ObjectMeta", f1, sizeof(f1) / sizeof(f1[0])},
    {"ManagedFieldsEntry", f2, sizeof(f2) / sizeof(f2[0])},
    {"OwnerReference", f3, sizeof(f3) / sizeof(f3[0])},
    {"NamespaceSpec", f4, sizeof(f4) / sizeof(f4[0])},
    {"NamespaceStatus", f5, sizeof(f5) / sizeof(f5[0])},
    {"NamespaceCondition", f6, sizeof(f6) / sizeof(f6[0])},
    {"Node", f7, sizeof(f7) / sizeof(f7[0])},
    {"NodeSpec", f8, sizeof(f8) / sizeof(f8[0])},
    {"NodeConfigSource", f9, sizeof(f9) / sizeof(f9[0])},
    {"ConfigMapNodeConfigSource", f10, sizeof(f10) / sizeof(f10[0])},
    {"Taint", f11, sizeof(f11) / sizeof(f11[0])},
    {"NodeStatus", f12, sizeof(f12) / sizeof(f12[0])},
    {"NodeAddress", f13, sizeof(f13) / sizeof(f13[0])},
    {"NodeCondition", f14, sizeof(f14) / sizeof(f14[0])},
    {"NodeConfigStatus", f15, sizeof(f15) / sizeof(f15[0])},
    {"NodeDaemonEndpoints", f16, sizeof(f16) / sizeof(f16[0])},
    {"DaemonEndpoint", f17, sizeof(f17) / sizeof(f17[0])},
    {"NodeFeatures", f18, sizeof(f18) / sizeof(f18[0])},
    {"ContainerImage", f19, sizeof(f19) / sizeof(f19[0])},
    {"NodeSystemInfo", f20, sizeof(f20) / sizeof(f20[0])},
    {"NodeSwapStatus", f21, sizeof(f21) / sizeof(f21[0])},
    {"NodeRuntimeHandler", f22, sizeof(f22) / sizeof(f22[0])},
    {"NodeRuntimeHandlerFeatures", f23, sizeof(f23) / sizeof(f23[0])},
    {"AttachedVolume", f24, sizeof(f24) / sizeof(f24[0])},
    {"Pod", f25, sizeof(f25) / sizeof(f25[0])},
    {"PodSpec", f26, sizeof(f26) / sizeof(f26[0])},
    {"Affinity", f27, sizeof(f27) / sizeof(f27[0])},
    {"NodeAffinity", f28, sizeof(f28) / sizeof(f28[0])},
    {"PreferredSchedulingTerm", f29, sizeof(f29) / sizeof(f29[0])},
    {"NodeSelectorTerm", f30, sizeof(f30) / sizeof(f30[0])},
    {"NodeSelectorRequirement", f31, sizeof(f31) / sizeof(f31[0])},
    {"NodeSelector", f32, sizeof(f32) / sizeof(f32[0])},
    {"PodAffinity", f33, sizeof(f33) / sizeof(f33[0])},
    {"WeightedPodAffinityTerm", f34, sizeof(f34) / sizeof(f34[0])},
    {"PodAffinityTerm", f35, sizeof(f35) / sizeof(f35[0])},
    {"LabelSelector", f36, sizeof(f36) / sizeof(f36[0])},
    {"LabelSelectorRequirement", f37, sizeof(f37) / sizeof(f37[0])},
    {"PodAntiAffinity", f38, sizeof(f38) / sizeof(f38[0])},
    {"Container", f39, sizeof(f39) / sizeof(f39[0])},
    {"EnvVar", f40, sizeof(f40) / sizeof(f40[0])},
    {"EnvVarSource", f41, sizeof(f41) / sizeof(f41[0])},
    {"ConfigMapKeySelector", f42, sizeof(f42) / sizeof(f42[0])},
    {"ObjectFieldSelector", f43, sizeof(f43) / sizeof(f43[0])},
    {"FileKeySelector", f44, sizeof(f44) / sizeof(f44[0])},
    {"ResourceFieldSelector", f45, sizeof(f45) / sizeof(f45[0])},
    {"SecretKeySelector", f46, sizeof(f46) / sizeof(f46[0])},
    {"EnvFromSource", f47, sizeof(f47) / sizeof(f47[0])},
    {"ConfigMapEnvSource", f48, sizeof(f48) / sizeof(f48[0])},
    {"SecretEnvSource", f49, sizeof(f49) / sizeof(f49[0])},
    {"Lifecycle", f50, sizeof(f50) / sizeof(f50[0])},
    {"LifecycleHandler", f51, sizeof(f51) / sizeof(f51[0])},
    {"ExecAction", f52, sizeof(f52) / sizeof(f52[0])},
    {"HTTPGetAction", f53, sizeof(f53) / sizeof(f53[0])},
    {"HTTPHeader", f54, sizeof(f54) / sizeof(f54[0])},
    {"SleepAction", f55, sizeof(f55) / sizeof(f55[0])},
    {"TCPSocketAction", f56, sizeof(f56) / sizeof(f56[0])},
    {"Probe", f57, sizeof(f57) / sizeof(f57[0])},
    {"GRPCAction", f58, sizeof(f58) / sizeof(f58[0])},
    {"ContainerPort", f59, sizeof(f59) / sizeof(f59[0])},
    {"ContainerResizePolicy", f60, sizeof(f60) / sizeof(f60[0])},
    {"ResourceRequirements", f61, sizeof(f61) / sizeof(f61[0])},
    {"ResourceClaim", f62, sizeof(f62) / sizeof(f62[0])},
    {"ContainerRestartRule", f63, sizeof(f63) / sizeof(f63[0])},
    {"ContainerRestartRuleOnExitCodes", f64, sizeof(f64) / sizeof(f64[0])},
    {"SecurityContext", f65, sizeof(f65) / sizeof(f65[0])},
    {"AppArmorProfile", f66, sizeof(f66) / sizeof(f66[0])},
    {"Capabilities", f67, sizeof(f67) / sizeof(f67[0])},
    {"SELinuxOptions", f68, sizeof(f68) / sizeof(f68[0])},
    {"SeccompProfile", f69, sizeof(f69) / sizeof(f69[0])},
    {"WindowsSecurityContextOptions", f70, sizeof(f70) / sizeof(f70[0])},
    {"VolumeDevice", f71, sizeof(f71) / sizeof(f71[0])},
    {"VolumeMount", f72, sizeof(f72) / sizeof(f72[0])},
    {"PodDNSConfig", f73, sizeof(f73) / sizeof(f73[0])},
    {"PodDNSConfigOption", f74, sizeof(f74) / sizeof(f74[0])},
    {"EphemeralContainer", f75, sizeof(f75) / sizeof(f75[0])},
    {"HostAlias", f76, sizeof(f76) / sizeof(f76[0])},
    {"LocalObjectReference", f77, sizeof(f77) / sizeof(f77[0])},
    {"PodOS", f78, sizeof(f78) / sizeof(f78[0])},
    {"PodReadinessGate", f79, sizeof(f79) / sizeof(f79[0])},
    {"PodResourceClaim", f80, sizeof(f80) / sizeof(f80[0])},
    {"PodSchedulingGate", f81, sizeof(f81) / sizeof(f81[0])},
    {"PodSchedulingGroup", f82, sizeof(f82) / sizeof(f82[0])},
    {"PodSecurityContext", f83, sizeof(f83) / sizeof(f83[0])},
    {"Sysctl", f84, sizeof(f84) / sizeof(f84[0])},
    {"Toleration", f85, sizeof(f85) / sizeof(f85[0])},
    {"TopologySpreadConstraint", f86, sizeof(f86) / sizeof(f86[0])},
    {"Volume", f87, sizeof(f87) / sizeof(f87[0])},
    {"AWSElasticBlockStoreVolumeSource", f88, sizeof(f88) / sizeof(f88[0])},
    {"AzureDiskVolumeSource", f89, sizeof(f89) / sizeof(f89[0])},
    {"AzureFileVolumeSource", f90, sizeof(f90) / sizeof(f90[0])},
    {"CephFSVolumeSource", f91, sizeof(f91) / sizeof(f91[0])},
    {"CinderVolumeSource", f92, sizeof(f92) / sizeof(f92[0])},
    {"ConfigMapVolumeSource", f93, sizeof(f93) / sizeof(f93[0])},
    {"KeyToPath", f94, sizeof(f94) / sizeof(f94[0])},
    {"CSIVolumeSource", f95, sizeof(f95) / sizeof(f95[0])},
    {"DownwardAPIVolumeSource", f96, sizeof(f96) / sizeof(f96[0])},
    {"DownwardAPIVolumeFile", f97, sizeof(f97) / sizeof(f97[0])},
    {"EmptyDirVolumeSource", f98, sizeof(f98) / sizeof(f98[0])},
    {"EphemeralVolumeSource", f99, sizeof(f99) / sizeof(f99[0])},
    {"PersistentVolumeClaimTemplate", f100, sizeof(f100) / sizeof(f100[0])},
    {"PersistentVolumeClaimSpec", f101, sizeof(f101) / sizeof(f101[0])},
    {"TypedLocalObjectReference", f102, sizeof(f102) / sizeof(f102[0])},
    {"TypedObjectReference", f103, sizeof(f103) / sizeof(f103[0])},
    {"VolumeResourceRequirements", f104, sizeof(f104) / sizeof(f104[0])},
    {"FCVolumeSource", f105, sizeof(f105) / sizeof(f105[0])},
    {"FlexVolumeSource", f106, sizeof(f106) / sizeof(f106[0])},
    {"FlockerVolumeSource", f107, sizeof(f107) / sizeof(f107[0])},
    {"GCEPersistentDiskVolumeSource", f108, sizeof(f108) / sizeof(f108[0])},
    {"GitRepoVolumeSource", f109, sizeof(f109) / sizeof(f109[0])},
    {"GlusterfsVolumeSource", f110, sizeof(f110) / sizeof(f110[0])},
    {"HostPathVolumeSource", f111, sizeof(f111) / sizeof(f111[0])},
    {"ImageVolumeSource", f112, sizeof(f112) / sizeof(f112[0])},
    {"ISCSIVolumeSource", f113, sizeof(f113) / sizeof(f113[0])},
    {"NFSVolumeSource", f114, sizeof(f114) / sizeof(f114[0])},
    {"PersistentVolumeClaimVolumeSource", f115, sizeof(f115) / sizeof(f115[0])},
    {"PhotonPersistentDiskVolumeSource", f116, sizeof(f116) / sizeof(f116[0])},
    {"PortworxVolumeSource", f117, sizeof(f117) / sizeof(f117[0])},
    {"ProjectedVolumeSource", f118, sizeof(f118) / sizeof(f118[0])},
    {"VolumeProjection", f119, sizeof(f119) / sizeof(f119[0])},
    {"ClusterTrustBundleProjection", f120, sizeof(f120) / sizeof(f120[0])},
    {"ConfigMapProjection", f121, sizeof(f121) / sizeof(f121[0])},
    {"DownwardAPIProjection", f122, sizeof(f122) / sizeof(f122[0])},
    {"PodCertificateProjection", f123, sizeof(f123) / sizeof(f123[0])},
    {"SecretProjection", f124, sizeof(f124) / sizeof(f124[0])},
    {"ServiceAccountTokenProjection", f125, sizeof(f125) / sizeof(f125[0])},
    {"QuobyteVolumeSource", f126, sizeof(f126) / sizeof(f126[0])},
    {"RBDVolumeSource", f127, sizeof(f127) / sizeof(f127[0])},
    {"ScaleIOVolumeSource", f128, sizeof(f128) / sizeof(f128[0])},
    {"SecretVolumeSource", f129, sizeof(f129) / sizeof(f129[0])},
    {"StorageOSVolumeSource", f130, sizeof(f130) / sizeof(f130[0])},
    {"VsphereVirtualDiskVolumeSource", f131, sizeof(f131) / sizeof(f131[0])},
    {"PodStatus", f132, sizeof(f132) / sizeof(f132[0])},
    {"PodCondition", f133, sizeof(f133) / sizeof(f133[0])},
    {"ContainerStatus", f134, sizeof(f134) / sizeof(f134[0])},
    {"ResourceStatus", f135, sizeof(f135) / sizeof(f135[0])},
    {"ResourceHealth", f136, sizeof(f136) / sizeof(f136[0])},
    {"ContainerState", f137, sizeof(f137) / sizeof(f137[0])},
    {"ContainerStateRunning", f138, sizeof(f138) / sizeof(f138[0])},
    {"ContainerStateTerminated", f139, sizeof(f139) / sizeof(f139[0])},
    {"ContainerStateWaiting", f140, sizeof(f140) / sizeof(f140[0])},
    {"ContainerUser", f141, sizeof(f141) / sizeof(f141[0])},
    {"LinuxContainerUser", f142, sizeof(f142) / sizeof(f142[0])},
    {"VolumeMountStatus", f143, sizeof(f143) / sizeof(f143[0])},
    {"VolumeStatus", f144, sizeof(f144) / sizeof(f144[0])},
    {"ImageVolumeStatus", f145, sizeof(f145) / sizeof(f145[0])},
    {"PodExtendedResourceClaimStatus", f146, sizeof(f146) / sizeof(f146[0])},
    {"ContainerExtendedResourceRequest", f147, sizeof(f147) / sizeof(f147[0])},
    {"HostIP", f148, sizeof(f148) / sizeof(f148[0])},
    {"NodeAllocatableResourceClaimStatus", f149, sizeof(f149) / sizeof(f149[0])},
    {"PodIP", f150, sizeof(f150) / sizeof(f150[0])},
    {"PodResourceClaimStatus", f151, sizeof(f151) / sizeof(f151[0])},
    {"Service", f152, sizeof(f152) / sizeof(f152[0])},
    {"ServiceSpec", f153, sizeof(f153) / sizeof(f153[0])},
    {"ServicePort", f154, sizeof(f154) / sizeof(f154[0])},
    {"SessionAffinityConfig", f155, sizeof(f155) / sizeof(f155[0])},
    {"ClientIPConfig", f156, sizeof(f156) / sizeof(f156[0])},
    {"ServiceStatus", f157, sizeof(f157) / sizeof(f157[0])},
    {"Condition", f158, sizeof(f158) / sizeof(f158[0])},
    {"LoadBalancerStatus", f159, sizeof(f159) / sizeof(f159[0])},
    {"LoadBalancerIngress", f160, sizeof(f160) / sizeof(f160[0])},
    {"PortStatus", f161, sizeof(f161) / sizeof(f161[0])},
    {"ConfigMap", f162, sizeof(f162) / sizeof(f162[0])},
    {"Secret", f163, sizeof(f163) / sizeof(f163[0])},
    {"ServiceAccount", f164, sizeof(f164) / sizeof(f164[0])},
    {"ObjectReference", f165, sizeof(f165) / sizeof(f165[0])},
    {"PersistentVolumeClaim", f166, sizeof(f166) / sizeof(f166[0])},
    {"PersistentVolumeClaimStatus", f167, sizeof(f167) / sizeof(f167[0])},
    {"PersistentVolumeClaimCondition", f168, sizeof(f168) / sizeof(f168[0])},
    {"ModifyVolumeStatus", f169, sizeof(f169) / sizeof(f169[0])},
    {"Event", f170, sizeof(f170) / sizeof(f170[0])},
    {"EventSeries", f171, sizeof(f171) / sizeof(f171[0])},
    {"EventSource", f172, sizeof(f172) / sizeof(f172[0])},
    {"Deployment", f173, sizeof(f173) / sizeof(f173[0])},
    {"DeploymentSpec", f174, sizeof(f174) / sizeof(f174[0])},
    {"DeploymentStrategy", f175, sizeof(f175) / sizeof(f175[0])},
    {"RollingUpdateDeployment", f176, sizeof(f176) / sizeof(f176[0])},
    {"PodTemplateSpec", f177, sizeof(f177) / sizeof(f177[0])},
    {"DeploymentStatus", f178, sizeof(f178) / sizeof(f178[0])},
    {"DeploymentCondition", f179, sizeof(f179) / sizeof(f179[0])},
    {"ReplicaSet", f180, sizeof(f180) / sizeof(f180[0])},
    {"ReplicaSetSpec", f181, sizeof(f181) / sizeof(f181[0])},
    {"ReplicaSetStatus", f182, sizeof(f182) / sizeof(f182[0])},
    {"ReplicaSetCondition", f183, sizeof(f183) / sizeof(f183[0])},
    {"StatefulSet", f184, sizeof(f184) / sizeof(f184[0])},
    {"StatefulSetSpec", f185, sizeof(f185) / sizeof(f185[0])},
    {"StatefulSetOrdinals", f186, sizeof(f186) / sizeof(f186[0])},
    {"StatefulSetPersistentVolumeClaimRetentionPolicy", f187, sizeof(f187) / sizeof(f187[0])},
    {"StatefulSetUpdateStrategy", f188, sizeof(f188) / sizeof(f188[0])},
    {"RollingUpdateStatefulSetStrategy", f189, sizeof(f189) / sizeof(f189[0])},
    {"StatefulSetStatus", f190, sizeof(f190) / sizeof(f190[0])},
    {"StatefulSetCondition", f191, sizeof(f191) / sizeof(f191[0])},
    {"DaemonSet", f192, sizeof(f192) / sizeof(f192[0])},
    {"DaemonSetSpec", f193, sizeof(f193) / sizeof(f193[0])},
    {"DaemonSetUpdateStrategy", f194, sizeof(f194) / sizeof(f194[0])},
    {"RollingUpdateDaemonSet", f195, sizeof(f195) / sizeof(f195[0])},
    {"DaemonSetStatus", f196, sizeof(f196) / sizeof(f196[0])},
    {"DaemonSetCondition", f197, sizeof(f197) / sizeof(f197[0])},
    {"Job", f198, sizeof(f198) / sizeof(f198[0])},
    {"JobSpec", f199, sizeof(f199) / sizeof(f199[0])},
    {"PodFailurePolicy", f200, sizeof(f200) / sizeof(f200[0])},
    {"PodFailurePolicyRule", f201, sizeof(f201) / sizeof(f201[0])},
    {"PodFailurePolicyOnExitCodesRequirement", f202, sizeof(f202) / sizeof(f202[0])},
    {"PodFailurePolicyOnPodConditionsPattern", f203, sizeof(f203) / sizeof(f203[0])},
    {"SuccessPolicy", f204, sizeof(f204) / sizeof(f204[0])},
    {"SuccessPolicyRule", f205, sizeof(f205) / sizeof(f205[0])},
    {"JobStatus", f206, sizeof(f206) / sizeof(f206[0])},
    {"JobCondition", f207, sizeof(f207) / sizeof(f207[0])},
    {"UncountedTerminatedPods", f208, sizeof(f208) / sizeof(f208[0])},
    {"Ingress", f209, sizeof(f209) / sizeof(f209[0])},
    {"IngressSpec", f210, sizeof(f210) / sizeof(f210[0])},
    {"IngressBackend", f211, sizeof(f211) / sizeof(f211[0])},
    {"IngressServiceBackend", f212, sizeof(f212) / sizeof(f212[0])},
    {"ServiceBackendPort", f213, sizeof(f213) / sizeof(f213[0])},
    {"IngressRule", f214, sizeof(f214) / sizeof(f214[0])},
    {"HTTPIngressRuleValue", f215, sizeof(f215) / sizeof(f215[0])},
    {"HTTPIngressPath", f216, sizeof(f216) / sizeof(f216[0])},
    {"IngressTLS", f217, sizeof(f217) / sizeof(f217[0])},
    {"IngressStatus", f218, sizeof(f218) / sizeof(f218[0])},
    {"IngressLoadBalancerStatus", f219, sizeof(f219) / sizeof(f219[0])},
    {"IngressLoadBalancerIngress", f220, sizeof(f220) / sizeof(f220[0])},
    {"IngressPortStatus", f221, sizeof(f221) / sizeof(f221[0])},
    {"StorageClass", f222, sizeof(f222) / sizeof(f222[0])},
    {"TopologySelectorTerm", f223, sizeof(f223) / sizeof(f223[0])},
    {"TopologySelectorLabelRequirement", f224, sizeof(f224) / sizeof(f224[0])},
};
const unsigned schema_ntypes = sizeof(schema_types) / sizeof(schema_types[0]);

const struct schema_root schema_roots[] = {
    {"Namespace", 0},
    {"Node", 7},
    {"Pod", 25},
    {"Service", 152},
    {"ConfigMap", 162},
    {"Secret", 163},
    {"ServiceAccount", 164},
    {"PersistentVolumeClaim", 166},
    {"Event", 170},
    {"Deployment", 173},
    {"ReplicaSet", 180},
    {"StatefulSet", 184},
    {"DaemonSet", 192},
    {"Job", 198},
    {"Ingress", 209},
    {"StorageClass", 222},
};
const unsigned schema_nroots = sizeof(schema_roots) / sizeof(schema_roots[0]);
