using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Platform;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Authorization;

/// <summary>
/// Answers "may the current actor do P on organisation O?" from the actor's role grants: a grant
/// on O, on an ancestor of O with descendants included, or everywhere. The system and the
/// server's command line act with full rights; everyone else is denied unless granted.
/// </summary>
internal sealed class Authorizer(CoreDbContext db, OrganisationDirectory directory) : IAuthorizer
{
    private Dictionary<Guid, List<Grant>>? _grantsByUser;

    public async Task<bool> IsAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default)
    {
        var actor = Actor.Current;
        if (actor.Kind is ActorKind.System or ActorKind.Cli)
        {
            return true;
        }

        if (actor.UserId is not { } userId)
        {
            return false;
        }

        var grants = (await GrantsAsync(userId, cancellationToken)).Where(g => g.Permissions.Contains("*") || g.Permissions.Contains(permission)).ToList();
        if (grants.Count == 0)
        {
            return false;
        }

        var ancestry = await directory.AncestryAsync(orgUnitId, cancellationToken);
        return grants.Any(g =>
            g.OrgUnitId is null
            || g.OrgUnitId == orgUnitId
            || (g.IncludeDescendants && ancestry.Any(a => a.Id == g.OrgUnitId)));
    }

    public async Task EnsureAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default)
    {
        if (!await IsAllowedAsync(permission, orgUnitId, cancellationToken))
        {
            var unit = await directory.FindAsync(orgUnitId, cancellationToken);
            var where = unit?.NameVi ?? orgUnitId.ToString();
            throw new PermissionDeniedException(
                $"Bạn không có quyền '{permission}' đối với {where}",
                $"You do not hold '{permission}' for {unit?.Code ?? orgUnitId.ToString()}");
        }
    }

    public async Task<IReadOnlySet<Guid>> ScopeAsync(string permission, CancellationToken cancellationToken = default)
    {
        var actor = Actor.Current;
        var all = actor.Kind is ActorKind.System or ActorKind.Cli;
        var grants = all || actor.UserId is not { } userId
            ? []
            : (await GrantsAsync(userId, cancellationToken)).Where(g => g.Permissions.Contains("*") || g.Permissions.Contains(permission)).ToList();
        if (all || grants.Any(g => g.OrgUnitId is null))
        {
            return (await directory.AllAsync(cancellationToken)).Select(o => o.Id).ToHashSet();
        }

        var scope = new HashSet<Guid>();
        foreach (var grant in grants)
        {
            if (grant.IncludeDescendants)
            {
                scope.UnionWith((await directory.SubtreeAsync(grant.OrgUnitId!.Value, cancellationToken)).Select(o => o.Id));
            }
            else
            {
                scope.Add(grant.OrgUnitId!.Value);
            }
        }

        return scope;
    }

    // One load per request scope: grants and role permissions are small.
    private async Task<List<Grant>> GrantsAsync(Guid userId, CancellationToken cancellationToken)
    {
        _grantsByUser ??= [];
        if (_grantsByUser.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.Disabled)
        {
            return _grantsByUser[userId] = [];
        }

        var grants = await db.Grants.AsNoTracking().Where(g => g.UserId == userId).ToListAsync(cancellationToken);
        var roles = grants.Select(g => g.RoleCode).Distinct().ToList();
        var permissions = (await db.RolePermissions.AsNoTracking().Where(p => roles.Contains(p.RoleCode)).ToListAsync(cancellationToken))
            .ToLookup(p => p.RoleCode, p => p.Permission);
        return _grantsByUser[userId] = grants
            .Select(g => new Grant(g.OrgUnitId, g.IncludeDescendants, permissions[g.RoleCode].ToHashSet(StringComparer.Ordinal)))
            .ToList();
    }

    private sealed record Grant(Guid? OrgUnitId, bool IncludeDescendants, HashSet<string> Permissions);
}
