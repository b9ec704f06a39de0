using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Platform;

/// <summary>
/// The subtrees this node owns, from <c>Node:Owns</c> (organisation codes, comma-separated or a
/// JSON array). A node configured with nothing owns its whole tree: a stand-alone installation.
/// </summary>
internal sealed class NodeScope(DangVuInstallation installation, OrganisationDirectory directory, IServiceScopeFactory scopes) : INodeScope
{
    public const string Setting = "Node:Owns";

    public async Task<bool> KeepsAsync(Guid orgUnitId, CancellationToken cancellationToken = default)
    {
        if (!await OwnsAsync(orgUnitId, cancellationToken))
        {
            return false;
        }

        // A subtree approved for a child node is the child's to write, even inside this node's own.
        await using var scope = scopes.CreateAsyncScope();
        var children = await scope.ServiceProvider.GetRequiredService<FederationDbContext>().Links.AsNoTracking()
            .Where(l => l.Role == LinkRole.Child && l.State == LinkState.Active).Select(l => l.Subtree).ToListAsync(cancellationToken);
        return children.Count == 0 || !(await directory.AncestryAsync(orgUnitId, cancellationToken)).Any(a => children.Contains(a.Code));
    }

    public async Task<bool> OwnsAsync(Guid orgUnitId, CancellationToken cancellationToken = default)
    {
        if (installation.OwnedOrgUnitCodes.Count == 0)
        {
            return await directory.FindAsync(orgUnitId, cancellationToken) is not null;
        }

        var roots = (await OwnedRootsAsync(cancellationToken)).Select(r => r.Id).ToHashSet();
        return (await directory.AncestryAsync(orgUnitId, cancellationToken)).Any(a => roots.Contains(a.Id));
    }

    public async Task<IReadOnlyList<OrgUnitInfo>> OwnedRootsAsync(CancellationToken cancellationToken = default)
    {
        if (installation.OwnedOrgUnitCodes.Count == 0)
        {
            return (await directory.AllAsync(cancellationToken)).Where(o => o.ParentId is null).ToList();
        }

        var roots = new List<OrgUnitInfo>();
        foreach (var code in installation.OwnedOrgUnitCodes)
        {
            if (await directory.FindByCodeAsync(code, cancellationToken) is { } unit)
            {
                roots.Add(unit);
            }
        }

        return roots;
    }

    /// <summary>Configured codes that name no organisation yet, for the health report.</summary>
    public async Task<IReadOnlyList<string>> UnknownCodesAsync(CancellationToken cancellationToken)
    {
        var unknown = new List<string>();
        foreach (var code in installation.OwnedOrgUnitCodes)
        {
            if (await directory.FindByCodeAsync(code, cancellationToken) is null)
            {
                unknown.Add(code);
            }
        }

        return unknown;
    }
}
