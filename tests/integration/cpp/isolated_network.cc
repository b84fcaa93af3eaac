#include "isolated_network.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace strata::test {
namespace {

// Runs an `ip` command line; its exit status.
int ip(const std::string& args) { return std::system(("ip " + args + " >/dev/null 2>&1").c_str()); }

void must(const std::string& args) {
    if (ip(args) != 0) throw std::runtime_error("isolated_network: `ip " + args + "` failed");
}

// Namespaces named strata-<pid>-<host> whose test process is gone: a run
// killed by a timeout never reached its destructor. Deleting a namespace
// deletes the veth end inside it, and with it the end on the bridge.
void remove_leftovers() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec)) {
        const std::string n = entry.path().filename().string();
        int pid = 0, host = 0;
        if (std::sscanf(n.c_str(), "strata-%d-%d", &pid, &host) != 2) continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
        ip("netns del " + n);
        ip("link del sb" + std::to_string(pid));
    }
}

} // namespace

std::string isolated_network::unavailable_reason() {
    if (::geteuid() != 0) return "network namespaces need root";
    if (std::system("command -v ip >/dev/null 2>&1") != 0) return "iproute2's ip is not installed";
    if (std::system("command -v nft >/dev/null 2>&1") != 0) return "nftables' nft is not installed";
    const std::string probe = "strata-probe-" + std::to_string(::getpid());
    if (ip("netns add " + probe) != 0) return "`ip netns add` is not permitted here";
    ip("netns del " + probe);
    return {};
}

isolated_network::isolated_network(int hosts) : hosts_(hosts), tag_(std::to_string(::getpid())) {
    remove_leftovers();
    // A /24 of 10.200.0.0/13 picked by pid, so that concurrent tests differ.
    const int pid = ::getpid();
    prefix_ = "10." + std::to_string(200 + (pid >> 8) % 8) + "." + std::to_string(pid & 0xff) + ".";
    gateway_ = prefix_ + "1";
    const std::string bridge = bridge_name();
    try {
        must("link add " + bridge + " type bridge");
        must("addr add " + gateway_ + "/24 dev " + bridge);
        must("link set " + bridge + " up");
        for (int i = 1; i <= hosts_; ++i) {
            const std::string ns = namespace_name(i), outside = veth_name(i, 'h'), inside = veth_name(i, 'n');
            must("netns add " + ns);
            must("link add " + outside + " type veth peer name " + inside);
            must("link set " + outside + " master " + bridge);
            must("link set " + outside + " up");
            must("link set " + inside + " netns " + ns);
            must("-n " + ns + " addr add " + host(i) + "/24 dev " + inside);
            must("-n " + ns + " link set " + inside + " up");
            must("-n " + ns + " link set lo up");
        }
    } catch (...) {
        remove();
        throw;
    }
}

isolated_network::~isolated_network() { remove(); }

void isolated_network::remove() {
    for (int i = 1; i <= hosts_; ++i) ip("netns del " + namespace_name(i));
    ip("link del " + bridge_name());
}

std::string isolated_network::host(int i) const { return prefix_ + std::to_string(1 + i); }

std::string isolated_network::namespace_path(int i) const { return "/run/netns/" + namespace_name(i); }

// The bridge side of the host's link goes down: the bridge drops its frames both ways.
void isolated_network::cut(int i) { must("link set " + veth_name(i, 'h') + " down"); }

void isolated_network::cut_from_peers(int i, const std::vector<uint16_t>& gateway_ports) {
    std::string peers, ports;
    for (int other = 1; other <= hosts_; ++other)
        if (other != i) peers += (peers.empty() ? "" : ", ") + host(other);
    for (auto p : gateway_ports) ports += (ports.empty() ? "" : ", ") + std::to_string(p);
    // Both directions, in the host's namespace: what it sends and what it is sent.
    std::string rules = "table inet strata_cut {\n"
                        "  chain in {\n    type filter hook input priority 0; policy accept;\n";
    if (!peers.empty()) rules += "    ip saddr { " + peers + " } drop\n";
    if (!ports.empty()) rules += "    ip saddr " + gateway_ + " tcp sport { " + ports + " } drop\n";
    rules += "  }\n  chain out {\n    type filter hook output priority 0; policy accept;\n";
    if (!peers.empty()) rules += "    ip daddr { " + peers + " } drop\n";
    if (!ports.empty()) rules += "    ip daddr " + gateway_ + " tcp dport { " + ports + " } drop\n";
    rules += "  }\n}\n";
    const std::string file = "/tmp/strata-cut-" + tag_ + "-" + std::to_string(i) + ".nft";
    if (FILE* f = std::fopen(file.c_str(), "w")) {
        std::fputs(rules.c_str(), f);
        std::fclose(f);
    }
    const int status = ip("netns exec " + namespace_name(i) + " nft -f " + file);
    std::remove(file.c_str());
    if (status != 0) throw std::runtime_error("isolated_network: nft refused the rules cutting host " + std::to_string(i));
}

// Whichever way the host was cut: its link comes up, its own rules go.
void isolated_network::heal(int i) {
    must("link set " + veth_name(i, 'h') + " up");
    ip("netns exec " + namespace_name(i) + " nft delete table inet strata_cut");
}

std::string isolated_network::namespace_name(int i) const { return "strata-" + tag_ + "-" + std::to_string(i); }

std::string isolated_network::bridge_name() const { return "sb" + tag_; }

// Interface names have at most 15 characters: "sv" + pid (up to 7 digits) + side + host.
std::string isolated_network::veth_name(int i, char side) const { return "sv" + tag_ + side + std::to_string(i); }

} // namespace strata::test
