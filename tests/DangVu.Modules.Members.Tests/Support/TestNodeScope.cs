using DangVu.Core.Abstractions.Organisation;

namespace DangVu.Modules.Members.Tests.Support;

/// <summary>A stand-alone node owning every organisation of the test tree, but those another node keeps.</summary>
internal sealed class TestNodeScope(IOrganisationDirectory directory) : INodeScope
{
    /// <summary>Organisations of another node's subtree (a test of transfers between nodes adds them).</summary>
    public HashSet<Guid> Elsewhere { get; } = [];

    public async Task<bool> OwnsAsync(Guid orgUnitId, CancellationToken cancellationToken = default) =>
        !Elsewhere.Contains(orgUnitId) && await directory.FindAsync(orgUnitId, cancellationToken) is not null;

    public async Task<IReadOnlyList<OrgUnitInfo>> OwnedRootsAsync(CancellationToken cancellationToken = default) =>
        [(await directory.FindAsync(TestOrganisation.Province, cancellationToken))!];
}
