using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Storage;

namespace DangVu.Core.Platform;

/// <summary>A Party organisation. Replicated: upper levels define the tree, lower levels receive it.</summary>
[RecordType("core.org_unit")]
internal sealed class OrgUnit : ReplicatedRecord
{
    public string Code { get; set; } = "";

    public string NameVi { get; set; } = "";

    public OrgUnitKind Kind { get; set; }

    public Guid? ParentId { get; set; }

    public DateOnly ValidFrom { get; set; }

    public DateOnly? ValidTo { get; set; }

    public OrgUnitInfo ToInfo() => new(Id, Code, NameVi, Kind, ParentId, ValidFrom, ValidTo);
}

/// <summary>A person who signs in; separate from member records (a clerk may not be a member).</summary>
internal sealed class UserAccount
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Lower-case; unique.</summary>
    public string UserName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public bool MustChangePassword { get; set; }

    public int FailedSignIns { get; set; }

    public DateTime? LockedUntil { get; set; }

    /// <summary>Base32 TOTP secret once two-factor sign-in is set up.</summary>
    public string? TotpSecret { get; set; }

    public bool TotpEnabled { get; set; }

    public bool Disabled { get; set; }

    /// <summary>Changes when the password or second factor changes, ending existing sessions.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    public DateTime CreatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>A role, such as bí thư; its permissions are data an administrator edits.</summary>
internal sealed class Role
{
    public string Code { get; set; } = "";

    public string NameVi { get; set; } = "";

    public string NameEn { get; set; } = "";

    public bool BuiltIn { get; set; }
}

internal sealed class RolePermission
{
    public string RoleCode { get; set; } = "";

    /// <summary>A permission name, or <c>*</c> for every permission.</summary>
    public string Permission { get; set; } = "";
}

/// <summary>A role held by a user for an organisation, optionally with all below it; null organisation: everywhere.</summary>
internal sealed class RoleGrant
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public string RoleCode { get; set; } = "";

    public Guid? OrgUnitId { get; set; }

    public bool IncludeDescendants { get; set; }

    public DateTime GrantedAt { get; set; }
}

/// <summary>Permissions already given to the built-in roles' defaults, so an administrator's removal sticks.</summary>
internal sealed class KnownPermission
{
    public string Name { get; set; } = "";
}
