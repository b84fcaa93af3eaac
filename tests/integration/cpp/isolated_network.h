#pragma once
// Hosts of their own for the processes of a test: each host is a Linux
// network namespace with one address, joined to the test's own namespace by a
// bridge, so that a test can cut one host off from everything (the other
// hosts, etcd, the clients) and heal it again, as a network partition would.
// Packets to and from a cut host are dropped, not refused: connections stall
// as they do when a switch fails, and every timeout is exercised.
//
// It needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2's `ip`, and for
// cut_from_peers() nftables' `nft`; unavailable_reason() says why not, for a
// test to skip with. Everything it
// made is removed by the destructor, and what a killed test run left behind
// is removed by the next one. Owned by one test, on the test's thread.

#include <cstdint>
#include <string>
#include <vector>

namespace strata::test {

class isolated_network {
public:
    // Hosts 1..`hosts`, each in a namespace of its own with `lo` up.
    explicit isolated_network(int hosts);
    ~isolated_network();
    isolated_network(const isolated_network&) = delete;
    isolated_network& operator=(const isolated_network&) = delete;

    // Why hosts cannot be made here; empty when they can.
    static std::string unavailable_reason();

    // The test's own address on the bridge: where hosts reach etcd and the
    // test's clients.
    const std::string& gateway() const { return gateway_; }
    // The address of host `i` (1-based).
    std::string host(int i) const;
    // The network namespace of host `i`, for spawn_logged.
    std::string namespace_path(int i) const;

    // Host `i` reaches nothing and nothing reaches it, until heal(i).
    void cut(int i);
    // Host `i` loses the other hosts and the gateway's `gateway_ports`
    // (etcd's, say) and keeps everything else: the test's clients still
    // reach it, and it them. Packets are dropped in the host's own namespace
    // (nftables), established connections included. Until heal(i).
    void cut_from_peers(int i, const std::vector<uint16_t>& gateway_ports);
    void heal(int i);

private:
    void remove();
    std::string namespace_name(int i) const;
    std::string bridge_name() const;
    std::string veth_name(int i, char side) const;  // side 'h' on the bridge, 'n' in the namespace

    int hosts_;
    std::string tag_;     // this test process's pid, in every name made
    std::string prefix_;  // "10.a.b." of the subnet
    std::string gateway_;
};

} // namespace strata::test
