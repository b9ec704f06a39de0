namespace DangVu.Core.Abstractions.Security;

/// <summary>
/// The one authorization check of the platform: may the current actor do permission P on
/// organisation O? Roles are granted per organisation, optionally with its descendants. Default deny.
/// </summary>
public interface IAuthorizer
{
    /// <summary>Whether the current actor holds <paramref name="permission"/> for <paramref name="orgUnitId"/>.</summary>
    Task<bool> IsAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="Errors.PermissionDeniedException"/> unless <see cref="IsAllowedAsync"/>.</summary>
    Task EnsureAllowedAsync(string permission, Guid orgUnitId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every organisation the current actor holds <paramref name="permission"/> for, to filter
    /// lists and searches. Empty when none.
    /// </summary>
    Task<IReadOnlySet<Guid>> ScopeAsync(string permission, CancellationToken cancellationToken = default);
}

/// <summary>Permissions Core itself defines.</summary>
public static class CorePermissions
{
    /// <summary>Read records classified mật or above for an organisation.</summary>
    public const string ReadClassified = "core.classified.read";

    /// <summary>Manage users, roles and grants for an organisation.</summary>
    public const string ManageUsers = "core.users.manage";

    /// <summary>Manage the organisation tree below an organisation.</summary>
    public const string ManageOrganisations = "core.organisations.manage";

    /// <summary>Read the audit log.</summary>
    public const string ReadAudit = "core.audit.read";

    /// <summary>Manage installed modules.</summary>
    public const string ManageModules = "core.modules.manage";

    /// <summary>Approve, revoke and reclassify the links of this node with other nodes.</summary>
    public const string ManageFederation = "core.federation.manage";
}
