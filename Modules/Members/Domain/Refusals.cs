using DangVu.Core.Abstractions.Errors;

namespace DangVu.Modules.Members.Domain;

/// <summary>Short-hands for the module's errors (Vietnamese first, then English).</summary>
internal static class Refuse
{
    public static InvalidArgumentException Field(string field, string vi, string en) => new(field, vi, en);

    public static RuleViolationException Rule(string rule, string vi, string en) => new(rule, vi, en);

    public static NotFoundException MemberNotFound(Guid id) =>
        new($"Không tìm thấy đảng viên {id}.", $"Member {id} was not found.");

    public static NotFoundException OrgUnitNotFound(Guid id) =>
        new($"Không tìm thấy tổ chức đảng {id}.", $"Party organisation {id} was not found.");

    public static RuleViolationException NotOnRolls(MemberStatus status) =>
        new("member.not-on-rolls",
            $"Đảng viên đang ở trạng thái \"{status.Vi()}\", không thực hiện được thao tác này.",
            $"The member's status is {status}; this operation does not apply.");
}
