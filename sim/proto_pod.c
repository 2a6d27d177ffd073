/* sim/proto_pod.c: the Pod's field tables for the protobuf writer
 * (sim/proto_schema.h): every field the simulator's pods carry, and the
 * common ones of real pods. Numbers: k8s.io/api core/v1/generated.proto
 * (Pod, PodSpec, Container, PodStatus ...), k8s.io/apimachinery
 * pkg/apis/meta/v1/generated.proto (ObjectMeta, OwnerReference,
 * ManagedFieldsEntry), pkg/util/intstr (IntOrString). */
#include "config.h"

#include <stddef.h>

#include "sim/proto_schema.h"

#define MSG(n) static const struct pmsg n
#define F static const struct pfield

F f_owner[] = {{5, "apiVersion", P_STR, NULL},
               {1, "kind", P_STR, NULL},
               {3, "name", P_STR, NULL},
               {4, "uid", P_STR, NULL},
               {6, "controller", P_BOOL, NULL},
               {7, "blockOwnerDeletion", P_BOOL, NULL},
               END};
MSG(m_owner) = {f_owner};
F f_fieldsv1[] = {{1, NULL, P_JSON, NULL}, END}; /* the object itself, as text */
MSG(m_fieldsv1) = {f_fieldsv1};
F f_managed[] = {{1, "manager", P_STR, NULL},     {2, "operation", P_STR, NULL},
                 {3, "apiVersion", P_STR, NULL},  {4, "time", P_TIME, NULL},
                 {6, "fieldsType", P_STR, NULL},  {7, "fieldsV1", P_MSG, &m_fieldsv1},
                 {8, "subresource", P_STR, NULL}, END};
MSG(m_managed) = {f_managed};
F f_meta[] = {{1, "name", P_STR, NULL},
              {2, "generateName", P_STR, NULL},
              {3, "namespace", P_STR, NULL},
              {4, "selfLink", P_STR, NULL},
              {5, "uid", P_STR, NULL},
              {6, "resourceVersion", P_STR, NULL},
              {7, "generation", P_INT, NULL},
              {8, "creationTimestamp", P_TIME, NULL},
              {9, "deletionTimestamp", P_TIME, NULL},
              {10, "deletionGracePeriodSeconds", P_INT, NULL},
              {11, "labels", P_MAP_SS, NULL},
              {12, "annotations", P_MAP_SS, NULL},
              {13, "ownerReferences", P_REP_MSG, &m_owner},
              {14, "finalizers", P_REP_STR, NULL},
              {17, "managedFields", P_REP_MSG, &m_managed},
              END};
MSG(m_meta) = {f_meta};

F f_localref[] = {{1, "name", P_STR, NULL}, END};
MSG(m_localref) = {f_localref};
F f_keysel[] = {
    {1, NULL, P_INLINE, &m_localref}, {2, "key", P_STR, NULL}, {3, "optional", P_BOOL, NULL}, END};
MSG(m_keysel) = {f_keysel};
F f_fieldsel[] = {{1, "apiVersion", P_STR, NULL}, {2, "fieldPath", P_STR, NULL}, END};
MSG(m_fieldsel) = {f_fieldsel};
F f_resfieldsel[] = {{1, "containerName", P_STR, NULL},
                     {2, "resource", P_STR, NULL},
                     {3, "divisor", P_QTY, NULL},
                     END};
MSG(m_resfieldsel) = {f_resfieldsel};
F f_envsource[] = {{1, "fieldRef", P_MSG, &m_fieldsel},
                   {2, "resourceFieldRef", P_MSG, &m_resfieldsel},
                   {3, "configMapKeyRef", P_MSG, &m_keysel},
                   {4, "secretKeyRef", P_MSG, &m_keysel},
                   END};
MSG(m_envsource) = {f_envsource};
F f_env[] = {{1, "name", P_STR, NULL},
             {2, "value", P_STR, NULL},
             {3, "valueFrom", P_MSG, &m_envsource},
             END};
MSG(m_env) = {f_env};
F f_envfromref[] = {{1, NULL, P_INLINE, &m_localref}, {2, "optional", P_BOOL, NULL}, END};
MSG(m_envfromref) = {f_envfromref};
F f_envfrom[] = {{1, "prefix", P_STR, NULL},
                 {2, "configMapRef", P_MSG, &m_envfromref},
                 {3, "secretRef", P_MSG, &m_envfromref},
                 END};
MSG(m_envfrom) = {f_envfrom};
F f_port[] = {{1, "name", P_STR, NULL},          {2, "hostPort", P_INT, NULL},
              {3, "containerPort", P_INT, NULL}, {4, "protocol", P_STR, NULL},
              {5, "hostIP", P_STR, NULL},        END};
MSG(m_port) = {f_port};
F f_resources[] = {{1, "limits", P_MAP_QTY, NULL}, {2, "requests", P_MAP_QTY, NULL}, END};
MSG(m_resources) = {f_resources};
F f_mount[] = {{1, "name", P_STR, NULL},
               {2, "readOnly", P_BOOL, NULL},
               {7, "recursiveReadOnly", P_STR, NULL},
               {3, "mountPath", P_STR, NULL},
               {4, "subPath", P_STR, NULL},
               {5, "mountPropagation", P_STR, NULL},
               {6, "subPathExpr", P_STR, NULL},
               END};
MSG(m_mount) = {f_mount};
F f_exec[] = {{1, "command", P_REP_STR, NULL}, END};
MSG(m_exec) = {f_exec};
F f_header[] = {{1, "name", P_STR, NULL}, {2, "value", P_STR, NULL}, END};
MSG(m_header) = {f_header};
F f_httpget[] = {{1, "path", P_STR, NULL},
                 {2, "port", P_INTORSTR, NULL},
                 {3, "host", P_STR, NULL},
                 {4, "scheme", P_STR, NULL},
                 {5, "httpHeaders", P_REP_MSG, &m_header},
                 END};
MSG(m_httpget) = {f_httpget};
F f_tcp[] = {{1, "port", P_INTORSTR, NULL}, {2, "host", P_STR, NULL}, END};
MSG(m_tcp) = {f_tcp};
F f_handler[] = {{1, "exec", P_MSG, &m_exec},
                 {2, "httpGet", P_MSG, &m_httpget},
                 {3, "tcpSocket", P_MSG, &m_tcp},
                 END};
MSG(m_handler) = {f_handler};
F f_probe[] = {{1, NULL, P_INLINE, &m_handler},
               {2, "initialDelaySeconds", P_INT, NULL},
               {3, "timeoutSeconds", P_INT, NULL},
               {4, "periodSeconds", P_INT, NULL},
               {5, "successThreshold", P_INT, NULL},
               {6, "failureThreshold", P_INT, NULL},
               {7, "terminationGracePeriodSeconds", P_INT, NULL},
               END};
MSG(m_probe) = {f_probe};
F f_seccomp[] = {{1, "type", P_STR, NULL}, {2, "localhostProfile", P_STR, NULL}, END};
MSG(m_seccomp) = {f_seccomp};
F f_caps[] = {{1, "add", P_REP_STR, NULL}, {2, "drop", P_REP_STR, NULL}, END};
MSG(m_caps) = {f_caps};
F f_secctx[] = {{1, "capabilities", P_MSG, &m_caps},
                {2, "privileged", P_BOOL, NULL},
                {4, "runAsUser", P_INT, NULL},
                {8, "runAsGroup", P_INT, NULL},
                {5, "runAsNonRoot", P_BOOL, NULL},
                {6, "readOnlyRootFilesystem", P_BOOL, NULL},
                {7, "allowPrivilegeEscalation", P_BOOL, NULL},
                {11, "seccompProfile", P_MSG, &m_seccomp},
                END};
MSG(m_secctx) = {f_secctx};
F f_lifecycle[] = {{1, "postStart", P_MSG, &m_handler}, {2, "preStop", P_MSG, &m_handler}, END};
MSG(m_lifecycle) = {f_lifecycle};
F f_container[] = {{1, "name", P_STR, NULL},
                   {2, "image", P_STR, NULL},
                   {3, "command", P_REP_STR, NULL},
                   {4, "args", P_REP_STR, NULL},
                   {5, "workingDir", P_STR, NULL},
                   {6, "ports", P_REP_MSG, &m_port},
                   {19, "envFrom", P_REP_MSG, &m_envfrom},
                   {7, "env", P_REP_MSG, &m_env},
                   {8, "resources", P_MSG, &m_resources},
                   {24, "restartPolicy", P_STR, NULL},
                   {9, "volumeMounts", P_REP_MSG, &m_mount},
                   {10, "livenessProbe", P_MSG, &m_probe},
                   {11, "readinessProbe", P_MSG, &m_probe},
                   {22, "startupProbe", P_MSG, &m_probe},
                   {12, "lifecycle", P_MSG, &m_lifecycle},
                   {13, "terminationMessagePath", P_STR, NULL},
                   {20, "terminationMessagePolicy", P_STR, NULL},
                   {14, "imagePullPolicy", P_STR, NULL},
                   {15, "securityContext", P_MSG, &m_secctx},
                   {16, "stdin", P_BOOL, NULL},
                   {17, "stdinOnce", P_BOOL, NULL},
                   {18, "tty", P_BOOL, NULL},
                   END};
MSG(m_container) = {f_container};

F f_keytopath[] = {
    {1, "key", P_STR, NULL}, {2, "path", P_STR, NULL}, {3, "mode", P_INT, NULL}, END};
MSG(m_keytopath) = {f_keytopath};
F f_hostpath[] = {{1, "path", P_STR, NULL}, {2, "type", P_STR, NULL}, END};
MSG(m_hostpath) = {f_hostpath};
F f_emptydir[] = {{1, "medium", P_STR, NULL}, {2, "sizeLimit", P_QTY, NULL}, END};
MSG(m_emptydir) = {f_emptydir};
F f_secretvol[] = {{1, "secretName", P_STR, NULL},
                   {2, "items", P_REP_MSG, &m_keytopath},
                   {3, "defaultMode", P_INT, NULL},
                   {4, "optional", P_BOOL, NULL},
                   END};
MSG(m_secretvol) = {f_secretvol};
F f_cmvol[] = {{1, NULL, P_INLINE, &m_localref},
               {2, "items", P_REP_MSG, &m_keytopath},
               {3, "defaultMode", P_INT, NULL},
               {4, "optional", P_BOOL, NULL},
               END};
MSG(m_cmvol) = {f_cmvol};
F f_pvcvol[] = {{1, "claimName", P_STR, NULL}, {2, "readOnly", P_BOOL, NULL}, END};
MSG(m_pvcvol) = {f_pvcvol};
F f_volsource[] = {
    {1, "hostPath", P_MSG, &m_hostpath}, {2, "emptyDir", P_MSG, &m_emptydir},
    {6, "secret", P_MSG, &m_secretvol},  {10, "persistentVolumeClaim", P_MSG, &m_pvcvol},
    {19, "configMap", P_MSG, &m_cmvol},  END};
MSG(m_volsource) = {f_volsource};
F f_volume[] = {{1, "name", P_STR, NULL}, {2, NULL, P_INLINE, &m_volsource}, END};
MSG(m_volume) = {f_volume};
F f_toleration[] = {
    {1, "key", P_STR, NULL},    {2, "operator", P_STR, NULL},          {3, "value", P_STR, NULL},
    {4, "effect", P_STR, NULL}, {5, "tolerationSeconds", P_INT, NULL}, END};
MSG(m_toleration) = {f_toleration};
F f_gate[] = {{1, "conditionType", P_STR, NULL}, END};
MSG(m_gate) = {f_gate};
F f_podsecctx[] = {{2, "runAsUser", P_INT, NULL},
                   {6, "runAsGroup", P_INT, NULL},
                   {3, "runAsNonRoot", P_BOOL, NULL},
                   {5, "fsGroup", P_INT, NULL},
                   {9, "fsGroupChangePolicy", P_STR, NULL},
                   {10, "seccompProfile", P_MSG, &m_seccomp},
                   END};
MSG(m_podsecctx) = {f_podsecctx};
F f_podspec[] = {{1, "volumes", P_REP_MSG, &m_volume},
                 {20, "initContainers", P_REP_MSG, &m_container},
                 {2, "containers", P_REP_MSG, &m_container},
                 {3, "restartPolicy", P_STR, NULL},
                 {4, "terminationGracePeriodSeconds", P_INT, NULL},
                 {5, "activeDeadlineSeconds", P_INT, NULL},
                 {6, "dnsPolicy", P_STR, NULL},
                 {7, "nodeSelector", P_MAP_SS, NULL},
                 {8, "serviceAccountName", P_STR, NULL},
                 {9, "serviceAccount", P_STR, NULL},
                 {21, "automountServiceAccountToken", P_BOOL, NULL},
                 {10, "nodeName", P_STR, NULL},
                 {11, "hostNetwork", P_BOOL, NULL},
                 {14, "securityContext", P_MSG, &m_podsecctx},
                 {15, "imagePullSecrets", P_REP_MSG, &m_localref},
                 {16, "hostname", P_STR, NULL},
                 {17, "subdomain", P_STR, NULL},
                 {19, "schedulerName", P_STR, NULL},
                 {22, "tolerations", P_REP_MSG, &m_toleration},
                 {24, "priorityClassName", P_STR, NULL},
                 {25, "priority", P_INT, NULL},
                 {28, "readinessGates", P_REP_MSG, &m_gate},
                 {29, "runtimeClassName", P_STR, NULL},
                 {30, "enableServiceLinks", P_BOOL, NULL},
                 {31, "preemptionPolicy", P_STR, NULL},
                 END};
MSG(m_podspec) = {f_podspec};

F f_cond[] = {{1, "type", P_STR, NULL},
              {7, "observedGeneration", P_INT, NULL},
              {2, "status", P_STR, NULL},
              {3, "lastProbeTime", P_TIME, NULL},
              {4, "lastTransitionTime", P_TIME, NULL},
              {5, "reason", P_STR, NULL},
              {6, "message", P_STR, NULL},
              END};
MSG(m_cond) = {f_cond};
F f_waiting[] = {{1, "reason", P_STR, NULL}, {2, "message", P_STR, NULL}, END};
MSG(m_waiting) = {f_waiting};
F f_running[] = {{1, "startedAt", P_TIME, NULL}, END};
MSG(m_running) = {f_running};
F f_terminated[] = {{1, "exitCode", P_INT, NULL},    {2, "signal", P_INT, NULL},
                    {3, "reason", P_STR, NULL},      {4, "message", P_STR, NULL},
                    {5, "startedAt", P_TIME, NULL},  {6, "finishedAt", P_TIME, NULL},
                    {7, "containerID", P_STR, NULL}, END};
MSG(m_terminated) = {f_terminated};
F f_cstate[] = {{1, "waiting", P_MSG, &m_waiting},
                {2, "running", P_MSG, &m_running},
                {3, "terminated", P_MSG, &m_terminated},
                END};
MSG(m_cstate) = {f_cstate};
F f_cstatus[] = {{1, "name", P_STR, NULL},           {2, "state", P_MSG, &m_cstate},
                 {3, "lastState", P_MSG, &m_cstate}, {4, "ready", P_BOOL, NULL},
                 {5, "restartCount", P_INT, NULL},   {6, "image", P_STR, NULL},
                 {7, "imageID", P_STR, NULL},        {8, "containerID", P_STR, NULL},
                 {9, "started", P_BOOL, NULL},       END};
MSG(m_cstatus) = {f_cstatus};
F f_ip[] = {{1, "ip", P_STR, NULL}, END};
MSG(m_ip) = {f_ip};
F f_podstatus[] = {{17, "observedGeneration", P_INT, NULL},
                   {1, "phase", P_STR, NULL},
                   {2, "conditions", P_REP_MSG, &m_cond},
                   {3, "message", P_STR, NULL},
                   {4, "reason", P_STR, NULL},
                   {11, "nominatedNodeName", P_STR, NULL},
                   {5, "hostIP", P_STR, NULL},
                   {16, "hostIPs", P_REP_MSG, &m_ip},
                   {6, "podIP", P_STR, NULL},
                   {12, "podIPs", P_REP_MSG, &m_ip},
                   {7, "startTime", P_TIME, NULL},
                   {10, "initContainerStatuses", P_REP_MSG, &m_cstatus},
                   {8, "containerStatuses", P_REP_MSG, &m_cstatus},
                   {9, "qosClass", P_STR, NULL},
                   END};
MSG(m_podstatus) = {f_podstatus};

F f_pod[] = {{1, "metadata", P_MSG, &m_meta},
             {2, "spec", P_MSG, &m_podspec},
             {3, "status", P_MSG, &m_podstatus},
             END};
const struct pmsg proto_pod_msg = {f_pod};
