/**
 * {@code svclab diagnose} (contract §6) and {@code run --from-dumps}: a node's text dumps read back
 * into the model's objects, findings with their evidence lines, and for each risky entry what a new
 * connection from the same client port would get, computed by the model.
 *
 * <h2>Model</h2>
 * {@link io.svclab.diagnose.Dumps} reads {@code /proc/net/nf_conntrack} and {@code conntrack -L}
 * (plain, {@code -o id}, {@code -o extended}) through {@code CtParser}; {@code ipvsadm -Ln} (plain,
 * {@code --stats}, {@code --rate}), {@code /proc/net/ip_vs}, {@code ipvsadm -Lnc} and
 * {@code /proc/net/ip_vs_conn} through {@code IpvsadmReader}; {@code sysctl -a} (every line must be
 * {@code KEY = VALUE}; the keys of {@link io.svclab.kernel.Sysctl} are kept and range-checked on the
 * kernel profile, the others left out); {@code iptables-save} through the model's
 * {@code iptables-restore} (its DNAT targets are the endpoints). The format is detected per file. The
 * first line that does not read gives {@link io.svclab.diagnose.DumpException}
 * {@code FILE:LINE: what was expected: <the line>} (exit 2, no output file). Entry counts: conntrack
 * entries, IPVS connection entries, services plus real servers for {@code -Ln}, {@code -A} rules for
 * {@code iptables-save}, non-blank lines for {@code sysctl -a}.
 *
 * <p>{@link io.svclab.diagnose.Diagnosis} finds: IPVS connection entries bound to a real server of
 * weight 0 ({@code ipvs-weight0-reuse}) or absent from {@code -Ln} ({@code ipvs-deleted-reuse}),
 * grouped per real server with their states and longest remaining time; conntrack entries whose reply
 * source is not a current endpoint ({@code conntrack-stale-dnat}; current = real servers of non-zero
 * weight and {@code iptables-save} DNAT targets); the sysctl/kernel combinations of spec
 * ipvs-kube-proxy §1.8/§7 (F1 {@code sysctl-reuse-1s-delay}: conn_reuse_mode≠0, conntrack=1,
 * f719e37 without the 5.9 fix; F2/F7 {@code sysctl-reuse-mode-0}; F3 {@code sysctl-expire-nodest-conn-0};
 * F4 {@code sysctl-expire-quiescent-template-0}), each with its upstream reference.
 *
 * <p>{@link io.svclab.diagnose.NodeModel} rebuilds the node for each prediction: an
 * {@code EmbeddedNetns} on the kernel profile with the dumped sysctls (defaults otherwise), one wired
 * device per /24 of the clients and real servers, the VIPs on {@code kube-ipvs0}, conntrack,
 * iptables from the save, IPVS with the listed services and real servers, and the dumped entries
 * seeded by {@link io.svclab.diagnose.Seeder} ({@code Ipvs.restoreConnection},
 * {@code ConntrackTable.restore}); an entry of a real server {@code -Ln} no longer lists is bound to
 * one added and deleted again, so it waits in the trash as in the kernel. A SYN from the entry's
 * client address and port is injected 10 ms after seeding (deferred work such as the flush of a
 * deleted server's entries has run, as before the real dump was taken); when it is dropped, the client's retransmissions follow at 1,
 * 3, 7, 15, 31 and 63 s. The outcome (forwarded where, after how long; refused; dropped, and by which
 * IPVS decision) is worded into the prediction. At most {@value io.svclab.diagnose.Diagnosis#MAX_PREDICTIONS}
 * entries per finding and {@value io.svclab.diagnose.Diagnosis#MAX_TOTAL_PREDICTIONS} in all are simulated
 * (the rest are counted).
 *
 * <p>{@link io.svclab.diagnose.FromDumps} seeds the first node of a scenario before time 0 from
 * {@code ipvsadm-Ln.txt}/{@code ip_vs.txt}, {@code ipvsadm-Lnc.txt}/{@code ip_vs_conn.txt},
 * {@code nf_conntrack.txt}/{@code conntrack-L.txt} and {@code sysctl-a.txt}.
 *
 * <h2>Scope and limitations</h2>
 * IPv4 TCP predictions (UDP and IPv6 conntrack entries are read and counted, not simulated; IPVS
 * listings with IPv6 addresses are refused with a message saying so). Persistence
 * templates are read, not seeded; scheduling state (rr position, wlc counters) starts afresh, so a
 * "rescheduled to" address depends on the model's scheduler state, not the node's. Seeded conntrack
 * entries are window-liberal and TIME_WAIT/CLOSE ones are taken as FIN-closed (the dump does not say).
 * {@code -Ln --stats}/{@code --rate} carry no weights: real servers are taken with weight 1 (a
 * warning says so). Without {@code --kernel} the 6.12 profile is assumed (said in the output). The
 * sysctl findings' predictions are worded from the spec's rules, not simulated (they concern no
 * particular entry). {@code run --from-dumps} seeds only the first node; the services, weights, pods
 * and sockets are the scenario's (the {@code -Ln} listing only tells which real servers are gone);
 * entries of services the scenario does not have are not seeded; all of it is listed as warnings.
 *
 * <h2>Kernel references</h2>
 * As the model packages: net/netfilter/ipvs/ip_vs_core.c, ip_vs_conn.c, ip_vs_ctl.c;
 * net/netfilter/nf_conntrack_proto_tcp.c; ipvsadm.c ({@code print_conn}, {@code print_largenum});
 * ip_vs_conn.c/ip_vs_ctl.c seq_show for the /proc formats. Spec ipvs-kube-proxy.md §1.4–1.8, §4, §7;
 * conntrack-nat-tcp.md (reopen rule, formats).
 *
 * <h2>Validation</h2>
 * {@code DiagnosisOracleTest}: the dumps of the IPVS oracle fixtures (Debian 6.1) just before
 * connection #2 predict what the real kernel did (weight 0 with mode 0: same server; mode 1:
 * rescheduled at once; deleted with expire_nodest_conn=0: dropped, connect timeout), the same dumps on
 * 5.4 give the 1 s delay, the final state's deleted server and the iptables oracle's stale DNAT.
 * {@code DiagnosisOracleMatrixTest}: 23 of the 24 cases of the real 6.1 matrix (oracle summary),
 * TIME_WAIT and stale ESTABLISHED entries, weight 0 and deleted, every sysctl combination, give the
 * real outcome (rescheduled, with the 1 s delay where the kernel took one; same server; dropped until
 * the connect timed out); the 24th (stale-reuse1-ct1-nodest0-weight0, rescheduled after 12 ms by the
 * real server's challenge ACK and the client's RST) is end-to-end behaviour a node-level prediction does
 * not simulate: the model forwards the SYN to the weight-0 server, as the node does.
 * {@code DumpsTest}: every format, entry counts and error messages with literal values.
 * {@code DiagnoseCommandTest}, {@code FromDumpsTest} (a seeded TIME_WAIT entry delays the reused port
 * by 1 s on 4.19). Fuzzing: {@code ReaderFuzzTest} (Jazzer, corpus under
 * {@code src/test/resources/io/svclab/diagnose/ReaderFuzzTestInputs} from the oracle fixtures;
 * regression mode in {@code mvn verify}, {@code JAZZER_FUZZ=1} to fuzz) and {@code MutationFuzzTest}
 * (a seeded mutation loop, about 4 s per target in every build): any input gives a result or a
 * located error. The acceptance script /work/shared/checks/diagnose passes.
 */
package io.svclab.diagnose;
