using System.Security.Cryptography.X509Certificates;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Federation;
using DangVu.Core.Hosting;

namespace DangVu.Federation.Tests;

/// <summary>The node's identity: keys under &lt;data&gt;/keys, its CA, and certificates it issues to children.</summary>
public sealed class NodeKeysTests : IDisposable
{
    private readonly List<string> _homes = [];

    [Fact]
    public void Init_of_a_root_creates_private_keys_readable_only_by_the_owner_and_a_node_certificate_from_its_own_ca()
    {
        var keys = NewNode("root-1");

        keys.Initialise(root: true, []);

        if (!OperatingSystem.IsWindows())
        {
            foreach (var secret in new[] { keys.NodeKeyPath, keys.CaKeyPath })
            {
                File.GetUnixFileMode(secret).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        keys.IsRoot.Should().BeTrue();
        using var ca = keys.LoadCaCertificate();
        using var node = keys.LoadNodeCertificate();
        node.SubjectName.GetCommonName().Should().Be("root-1");
        node.HasPrivateKey.Should().BeTrue();
        FederationTrust.ChainsTo(node, ca).Should().BeTrue();
        using var tls = keys.LoadServerCertificate();
        FederationTrust.ChainsTo(tls!, ca).Should().BeTrue("children trust the parent's server through its CA");
    }

    [Fact]
    public void Init_refuses_to_replace_existing_keys()
    {
        var keys = NewNode("node-a");
        keys.Initialise(root: false, []);
        var before = File.ReadAllText(keys.NodeKeyPath);

        var again = () => keys.Initialise(root: false, []);

        again.Should().Throw<RuleViolationException>().WithMessage("*đã có khoá*");
        File.ReadAllText(keys.NodeKeyPath).Should().Be(before);
    }

    [Fact]
    public void A_child_certificate_signed_by_the_parent_chains_to_the_parent_ca_and_not_to_another_nodes_ca()
    {
        var parent = NewNode("parent-1");
        var other = NewNode("other-1");
        var child = NewNode("child-1");
        parent.Initialise(root: true, []);
        other.Initialise(root: true, []);
        child.Initialise(root: false, []);

        using var issued = parent.SignChildRequest(child.CreateSigningRequest(), "child-1");
        using var parentCa = parent.LoadCaCertificate();
        child.StoreIssued(issued.RawData, parentCa.RawData);

        using var stored = child.LoadNodeCertificate();
        using var otherCa = other.LoadCaCertificate();
        stored.SubjectName.GetCommonName().Should().Be("child-1");
        FederationTrust.ChainsTo(stored, parentCa).Should().BeTrue();
        FederationTrust.ChainsTo(stored, otherCa).Should().BeFalse();
    }

    [Fact]
    public void Signing_a_request_that_names_another_node_is_refused()
    {
        var parent = NewNode("parent-2");
        var child = NewNode("child-2");
        parent.Initialise(root: true, []);
        child.Initialise(root: false, []);

        var sign = () => parent.SignChildRequest(child.CreateSigningRequest(), "someone-else");

        sign.Should().Throw<RuleViolationException>().WithMessage("*child-2*someone-else*");
    }

    [Fact]
    public void A_child_refuses_a_certificate_that_is_not_for_its_own_key()
    {
        var parent = NewNode("parent-3");
        var child = NewNode("child-3");
        var intruder = NewNode("child-3b");
        parent.Initialise(root: true, []);
        child.Initialise(root: false, []);
        intruder.Initialise(root: false, []);
        using var forIntruder = parent.SignChildRequest(intruder.CreateSigningRequest(), "child-3b");
        using var parentCa = parent.LoadCaCertificate();

        var store = () => child.StoreIssued(forIntruder.RawData, parentCa.RawData);

        store.Should().Throw<RuleViolationException>();
        File.Exists(child.NodeCertificatePath).Should().BeFalse();
    }

    public void Dispose()
    {
        foreach (var home in _homes)
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private NodeKeys NewNode(string nodeId)
    {
        var home = TestPaths.NewTempDirectory("keys");
        _homes.Add(home);
        return new NodeKeys(DangVuInstallation.Open(home, [new("Node:Id", nodeId)]));
    }
}
