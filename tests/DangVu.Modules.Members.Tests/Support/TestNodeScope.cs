using DangVu.Core.Abstractions.Organisation;

namespace DangVu.Modules.Members.Tests.Support;

/// <summary>A stand-alone node: it owns every organisation of the test tree.</summary>
internal sealed class TestNodeScope(IOrganisationDirectory directory) : INodeScope
{
    public async Task<bool> OwnsAsync(Guid orgUnitId, CancellationToken cancellationToken = default) =>
        await directory.FindAsync(orgUnitId, cancellationToken) is not null;

    public async Task<IReadOnlyList<OrgUnitInfo>> OwnedRootsAsync(CancellationToken cancellationToken = default) =>
        [(await directory.FindAsync(TestOrganisation.Province, cancellationToken))!];
}
