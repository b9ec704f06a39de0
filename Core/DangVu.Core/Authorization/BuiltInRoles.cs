using DangVu.Core.Abstractions.Security;

namespace DangVu.Core.Authorization;

/// <summary>
/// The roles every installation starts with, and which permissions each gets by default when a
/// module declares them. Administrators may change the mapping afterwards; it is data.
/// </summary>
internal static class BuiltInRoles
{
    public const string Administrator = "admin";
    public const string Secretary = "secretary";
    public const string CommitteeMember = "committee-member";
    public const string Clerk = "clerk";
    public const string Inspector = "inspector";
    public const string Member = "member";

    public static readonly (string Code, string NameVi, string NameEn)[] All =
    [
        (Administrator, "Quản trị hệ thống", "Administrator"),
        (Secretary, "Bí thư / Phó bí thư", "Secretary / deputy secretary"),
        (CommitteeMember, "Cấp ủy viên", "Committee member"),
        (Clerk, "Văn thư", "Office clerk"),
        (Inspector, "Ủy viên Ủy ban kiểm tra", "Inspection committee member"),
        (Member, "Đảng viên", "Party member"),
    ];

    /// <summary>Whether a built-in role gets a newly declared permission by default.</summary>
    public static bool GetsByDefault(string role, string permission)
    {
        var action = permission[(permission.LastIndexOf('.') + 1)..];
        var isCore = permission.StartsWith("core.", StringComparison.Ordinal);
        return role switch
        {
            Secretary => !isCore || permission is CorePermissions.ReadClassified or CorePermissions.ReadAudit,
            CommitteeMember => action == "read" || permission == CorePermissions.ReadClassified,
            Clerk => !isCore && action is "read" or "write",
            Inspector => action == "read" || permission.StartsWith("inspection.", StringComparison.Ordinal)
                || permission is CorePermissions.ReadAudit or CorePermissions.ReadClassified,
            _ => false,
        };
    }
}
