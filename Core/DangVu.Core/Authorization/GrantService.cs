using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Platform;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Authorization;

/// <summary>Grants and revokes roles per organisation; every change is audited and needs core.users.manage there.</summary>
internal sealed class GrantService(CoreDbContext db, OrganisationDirectory directory, IAuthorizer authorizer, TimeProvider time)
{
    /// <param name="orgCode">The organisation's code; null grants everywhere (administrators only).</param>
    public async Task GrantAsync(string userName, string roleCode, string? orgCode, bool includeDescendants, CancellationToken cancellationToken)
    {
        var (user, role, org) = await ResolveAsync(userName, roleCode, orgCode, cancellationToken);
        await EnsureMayManageAsync(org, cancellationToken);
        if (await db.Grants.AnyAsync(g => g.UserId == user.Id && g.RoleCode == role.Code && g.OrgUnitId == org, cancellationToken))
        {
            throw new RuleViolationException("grant.exists",
                $"{user.UserName} đã có vai trò {role.NameVi} ở đó", $"{user.UserName} already holds {role.Code} there");
        }

        db.Grants.Add(new RoleGrant
        {
            UserId = user.Id,
            RoleCode = role.Code,
            OrgUnitId = org,
            IncludeDescendants = includeDescendants || org is null,
            GrantedAt = time.GetUtcNow().UtcDateTime,
        });
        db.Audit("grant", "core.role_grant", user.Id.ToString(), $"{role.Code} @ {orgCode ?? "*"}{(includeDescendants ? " +descendants" : "")}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RevokeAsync(string userName, string roleCode, string? orgCode, CancellationToken cancellationToken)
    {
        var (user, role, org) = await ResolveAsync(userName, roleCode, orgCode, cancellationToken);
        await EnsureMayManageAsync(org, cancellationToken);
        var grant = await db.Grants.SingleOrDefaultAsync(g => g.UserId == user.Id && g.RoleCode == role.Code && g.OrgUnitId == org, cancellationToken)
            ?? throw new NotFoundException($"{user.UserName} không có vai trò {role.NameVi} ở đó", $"{user.UserName} does not hold {role.Code} there");
        db.Grants.Remove(grant);
        db.Audit("revoke", "core.role_grant", user.Id.ToString(), $"{role.Code} @ {orgCode ?? "*"}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<List<RoleGrant>> GrantsOfAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Grants.AsNoTracking().Where(g => g.UserId == userId).ToListAsync(cancellationToken);

    private async Task EnsureMayManageAsync(Guid? org, CancellationToken cancellationToken)
    {
        var allowed = org is { } id
            ? await authorizer.IsAllowedAsync(CorePermissions.ManageUsers, id, cancellationToken)
            : Actor.Current.Kind is ActorKind.System or ActorKind.Cli;
        if (!allowed)
        {
            throw new PermissionDeniedException("Bạn không có quyền phân quyền ở đây", "You may not grant roles here");
        }
    }

    private async Task<(UserAccount User, Role Role, Guid? Org)> ResolveAsync(string userName, string roleCode, string? orgCode, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == Identity.UserService.Normalize(userName), cancellationToken)
            ?? throw new NotFoundException($"Không có tài khoản {userName}", $"No such account {userName}");
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Code == roleCode, cancellationToken)
            ?? throw new NotFoundException(
                $"Không có vai trò '{roleCode}'; các vai trò: {string.Join(", ", await db.Roles.Select(r => r.Code).ToListAsync(cancellationToken))}",
                $"No role '{roleCode}'");
        if (orgCode is null)
        {
            if (role.Code != BuiltInRoles.Administrator)
            {
                throw new InvalidArgumentException("org", "Cần chỉ rõ tổ chức (--org) cho vai trò này", "This role needs an organisation (--org)");
            }

            return (user, role, null);
        }

        var org = await directory.FindByCodeAsync(orgCode, cancellationToken)
            ?? throw new NotFoundException($"Không có tổ chức mã '{orgCode}'", $"No organisation with code '{orgCode}'");
        return (user, role, org.Id);
    }
}
