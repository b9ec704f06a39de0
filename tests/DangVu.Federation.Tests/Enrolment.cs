using System.Security.Cryptography.X509Certificates;
using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Host.Tests;
using Google.Protobuf;

namespace DangVu.Federation.Tests;

/// <summary>Sets up nodes and links through the CLI, as administrators would, and calls a parent as a child would.</summary>
internal static class Enrolment
{
    /// <summary>Imports the committee's organisation tree (or <paramref name="tree"/>, CSV) and creates the node's keys.</summary>
    public static async Task PrepareAsync(FederationNode node, bool root, string? tree = null)
    {
        var csv = Path.Combine(node.Installation.Home, "org.csv");
        await File.WriteAllTextAsync(csv, tree ?? Committee.Csv);
        await node.RunOkAsync("org", "import", csv);
        if (root)
        {
            await node.RunOkAsync("federation", "init", "--root");
        }
        else
        {
            await node.RunOkAsync("federation", "init");
        }
    }

    /// <summary>request → approve → accept; the parent must be serving. Returns the one-time code used.</summary>
    public static async Task<string> EnrolAsync(FederationNode parent, FederationNode child, string subtree, string network = "internal")
    {
        var request = await child.RunOkAsync("federation", "request", "--parent", parent.GrpcUrl);
        var requestId = request.Stdout.Trim().Split('\n').Last().Trim();
        var pending = await parent.RunOkAsync("federation", "requests");
        pending.Stdout.Should().Contain(requestId).And.Contain(child.NodeId);
        var approve = await parent.RunOkAsync("federation", "approve", requestId, "--subtree", subtree, "--network", network);
        var code = approve.Stdout.Trim().Split('\n').Last().Trim();
        await child.RunOkAsync("federation", "accept", "--code", code);
        return code;
    }

    /// <summary>The child's node certificate with its key, as its sync uses it.</summary>
    public static X509Certificate2 CertificateOf(FederationNode node) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(node.Keys, "node.crt"), Path.Combine(node.Keys, "node.key"));

    public static GrpcChannel ChannelTo(FederationNode parent, X509Certificate2? clientCertificate) =>
        GrpcChannel.ForAddress(parent.GrpcUrl, new GrpcChannelOptions
        {
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            ServerCertificateValidation = (_, _, _, _) => true,
            MaxRetryAttempts = 0,
        });

    public static ServiceClient Sync(GrpcChannel channel) => new(channel, FederationReflection.Descriptor.Services[1]);

    public static Task<PushResult> PushAsync(ServiceClient sync, params ChangeBatch[] batches) =>
        sync.ClientStreamingAsync<ChangeBatch, PushResult>("Push", batches, CallOptions.Default.WithTimeout(TimeSpan.FromSeconds(30)));

    public static Change Change(string origin, long sequence, Guid id, string org, long version = 1, Operation operation = Operation.Insert, int classification = 0, string title = "Ghi chú") => new()
    {
        Sequence = sequence,
        RecordType = "notes.note",
        RecordId = id.ToString(),
        Version = version,
        Operation = operation,
        OwnerOrgCode = org,
        OriginNode = origin,
        Classification = classification,
        Payload = operation == Operation.Delete ? ByteString.Empty : ByteString.CopyFromUtf8($$"""{"Title":"{{title}}"}"""),
    };

    public static ChangeBatch Batch(long checkpoint, params Change[] changes)
    {
        var batch = new ChangeBatch { Module = "notes", Checkpoint = checkpoint };
        batch.Changes.AddRange(changes);
        return DangVu.Core.Federation.ReplicaApplier.Seal(batch);
    }
}
