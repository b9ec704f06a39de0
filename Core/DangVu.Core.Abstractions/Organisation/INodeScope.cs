namespace DangVu.Core.Abstractions.Organisation;

/// <summary>
/// Which organisations this installation (node) manages: the subtrees configured in
/// <c>Node:Owns</c>. Records of other organisations are replicas here, written only at their
/// owner node.
/// </summary>
public interface INodeScope
{
    /// <summary>Whether <paramref name="orgUnitId"/> lies in a subtree this node owns.</summary>
    Task<bool> OwnsAsync(Guid orgUnitId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether records of <paramref name="orgUnitId"/> are written here: it lies in a subtree
    /// this node owns and not in the subtree of a child node enrolled here (which keeps it).
    /// </summary>
    Task<bool> KeepsAsync(Guid orgUnitId, CancellationToken cancellationToken = default) => OwnsAsync(orgUnitId, cancellationToken);

    /// <summary>The roots of the owned subtrees; empty until the organisation tree is imported.</summary>
    Task<IReadOnlyList<OrgUnitInfo>> OwnedRootsAsync(CancellationToken cancellationToken = default);
}
