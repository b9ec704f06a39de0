using DangVu.Core.Abstractions.Modules;

namespace DangVu.Modules.Members.Application;

/// <summary>The permissions of the Members module, granted to roles per organisation.</summary>
internal static class MembersPermissions
{
    public const string Read = "members.read";
    public const string Write = "members.write";
    public const string Lifecycle = "members.lifecycle";
    public const string Dues = "members.dues";
    public const string ManageRules = "members.rules.manage";

    public static PermissionDefinition[] All { get; } =
    [
        new(Read, "Xem hồ sơ, danh sách và thống kê đảng viên", "See member files, lists and statistics"),
        new(Write, "Nhập và sửa hồ sơ đảng viên", "Enter and edit member files"),
        new(Lifecycle, "Kết nạp, công nhận chính thức, chuyển sinh hoạt, miễn sinh hoạt, kỷ luật, huy hiệu, ra khỏi Đảng",
            "Admission, official recognition, transfer, exemption, discipline, badges, leaving"),
        new(Dues, "Thu, nộp và theo dõi đảng phí", "Collect and track Party dues"),
        new(ManageRules, "Cập nhật bộ quy định (đảng phí, dự bị, huy hiệu, thời hạn chuyển sinh hoạt)",
            "Update the rule packs (dues, probation, badges, transfer clocks)"),
    ];
}
