using System.Text.Json;
using System.Text.Json.Serialization;
using DangVu.Core.Federation.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Federation;

/// <summary>One link as the administrator sees it.</summary>
internal sealed record LinkStatus(
    string Node, string Role, string State, string? Url, string Subtree, string Network,
    DateTime? LastSuccessAt, string? LastError, DateTime? LastErrorAt, long Changes, long HeldBack, long Pending, long? LagSeconds);

/// <summary>The node's federation state: identity and links (for the CLI and <c>/health/federation</c>).</summary>
internal sealed record NodeFederationStatus(string NodeId, bool Initialised, bool Root, bool HasCertificate, IReadOnlyList<LinkStatus> Links);

internal sealed class FederationStatus(FederationDbContext db, NodeKeys keys, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public async Task<NodeFederationStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var links = await db.Links.AsNoTracking().OrderBy(l => l.Role).ThenBy(l => l.NodeId).ToListAsync(cancellationToken);
        return new NodeFederationStatus(keys.NodeId, keys.Initialised, keys.IsRoot, keys.HasNodeCertificate, links.Select(l => new LinkStatus(
            l.NodeId,
            l.Role == LinkRole.Parent ? "parent" : "child",
            l.State.ToString().ToLowerInvariant(),
            l.Url,
            l.Subtree,
            l.Network == NetworkClass.Internet ? "internet" : l.Network == NetworkClass.Internal ? "internal" : "",
            l.LastSuccessAt,
            l.LastError,
            l.LastErrorAt,
            l.Changes,
            l.HeldBack,
            l.Pending,
            l.LastSuccessAt is { } at ? (long)(now - at).TotalSeconds : null)).ToList());
    }
}
