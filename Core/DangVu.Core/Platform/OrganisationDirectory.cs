using DangVu.Core.Abstractions.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Platform;

/// <summary>
/// The organisation tree, held in memory (a province has thousands of organisations, not
/// millions) and reloaded after every change made through Core.
/// </summary>
internal sealed class OrganisationDirectory(IServiceScopeFactory scopes) : IOrganisationDirectory
{
    private volatile Snapshot? _snapshot;

    public async Task<OrgUnitInfo?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken)).ById.GetValueOrDefault(id);

    public async Task<OrgUnitInfo?> FindByCodeAsync(string code, CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken)).ByCode.GetValueOrDefault(code.Trim());

    public async Task<IReadOnlyList<OrgUnitInfo>> SubtreeAsync(Guid rootId, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetAsync(cancellationToken);
        if (!snapshot.ById.TryGetValue(rootId, out var root))
        {
            return [];
        }

        var result = new List<OrgUnitInfo>();
        var queue = new Queue<OrgUnitInfo>([root]);
        while (queue.TryDequeue(out var unit))
        {
            result.Add(unit);
            foreach (var child in snapshot.Children[unit.Id])
            {
                queue.Enqueue(child);
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<OrgUnitInfo>> AncestryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetAsync(cancellationToken);
        var result = new List<OrgUnitInfo>();
        var seen = new HashSet<Guid>();
        for (var current = snapshot.ById.GetValueOrDefault(id); current is not null && seen.Add(current.Id);
             current = current.ParentId is { } parent ? snapshot.ById.GetValueOrDefault(parent) : null)
        {
            result.Add(current);
        }

        return result;
    }

    /// <summary>Every organisation, for listing the tree.</summary>
    public async Task<IReadOnlyList<OrgUnitInfo>> AllAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken)).ById.Values.OrderBy(o => o.Code, StringComparer.Ordinal).ToList();

    /// <summary>Called after the tree changed.</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } snapshot)
        {
            return snapshot;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoreDbContext>();
        var units = (await db.OrgUnits.AsNoTracking().ToListAsync(cancellationToken)).Select(o => o.ToInfo()).ToList();
        snapshot = new Snapshot(
            units.ToDictionary(u => u.Id),
            units.ToDictionary(u => u.Code, StringComparer.Ordinal),
            units.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!.Value));
        _snapshot = snapshot;
        return snapshot;
    }

    private sealed record Snapshot(Dictionary<Guid, OrgUnitInfo> ById, Dictionary<string, OrgUnitInfo> ByCode, ILookup<Guid, OrgUnitInfo> Children);
}
