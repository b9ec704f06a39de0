using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;

namespace DangVu.Modules.Members.Tests.Support;

/// <summary>
/// A real, simple authorizer (the seam Core implements): grants of permissions to actor names
/// per organisation, optionally with its descendants. Default deny.
/// </summary>
internal sealed class TestAuthorizer(IOrganisationDirectory directory) : IAuthorizer
{
    private readonly List<(string Actor, string Permission, Guid OrgUnitId, bool Descendants)> _grants = [];

    public TestAuthorizer Grant(string actor, Guid orgUnitId, bool descendants, params string[] permissions)
    {
        lock (_grants)
        {
            _grants.AddRange(permissions.Select(p => (actor, p, orgUnitId, descendants)));
        }

        return this;
    }

    public async Task<bool> IsAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default) =>
        (await ScopeAsync(permission, cancellationToken)).Contains(orgUnitId);

    public async Task EnsureAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default)
    {
        if (!await IsAllowedAsync(permission, orgUnitId, cancellationToken))
        {
            throw new PermissionDeniedException(
                $"{Actor.Current.Name} không có quyền {permission} với tổ chức này.",
                $"{Actor.Current.Name} may not {permission} for this organisation.");
        }
    }

    public async Task<IReadOnlySet<Guid>> ScopeAsync(string permission, CancellationToken cancellationToken = default)
    {
        List<(string Actor, string Permission, Guid OrgUnitId, bool Descendants)> grants;
        lock (_grants)
        {
            grants = _grants.Where(g => g.Actor == Actor.Current.Name && g.Permission == permission).ToList();
        }

        var scope = new HashSet<Guid>();
        foreach (var grant in grants)
        {
            if (grant.Descendants)
            {
                scope.UnionWith((await directory.SubtreeAsync(grant.OrgUnitId, cancellationToken)).Select(u => u.Id));
            }
            else
            {
                scope.Add(grant.OrgUnitId);
            }
        }

        return scope;
    }
}
