namespace DangVu.Modules.Members.Domain;

/// <summary>Giới tính.</summary>
internal enum Gender
{
    Male = 1,
    Female = 2,
}

/// <summary>Where a member stands; changed only by the life-cycle operations.</summary>
internal enum MemberStatus
{
    /// <summary>Dự bị.</summary>
    Probationary = 1,

    /// <summary>Chính thức.</summary>
    Official = 2,

    /// <summary>Miễn công tác và sinh hoạt đảng.</summary>
    Exempted = 3,

    /// <summary>Đang chuyển sinh hoạt đảng (letter sent, not yet received).</summary>
    InTransfer = 4,

    /// <summary>Đã chuyển đi (to an organisation of another node).</summary>
    TransferredOut = 5,

    /// <summary>Ra khỏi Đảng; <see cref="LeaveReason"/> says how.</summary>
    Left = 6,

    /// <summary>Từ trần.</summary>
    Deceased = 7,
}

internal enum LeaveReason
{
    /// <summary>Xóa tên.</summary>
    RemovedFromRolls = 1,

    /// <summary>Khai trừ.</summary>
    Expelled = 2,

    /// <summary>Xin ra khỏi Đảng.</summary>
    Resigned = 3,

    /// <summary>Từ trần.</summary>
    Deceased = 4,
}

/// <summary>Trình độ lý luận chính trị.</summary>
internal enum TheoryLevel
{
    None = 0,
    Elementary = 1,
    Intermediate = 2,
    Advanced = 3,
    Bachelor = 4,
}

internal enum TransferKind
{
    /// <summary>Chuyển sinh hoạt đảng chính thức.</summary>
    Official = 1,

    /// <summary>Chuyển sinh hoạt đảng tạm thời: the member stays on the home chi bộ's rolls.</summary>
    Temporary = 2,

    /// <summary>Chuyển sinh hoạt nội bộ, within the same Đảng bộ.</summary>
    Internal = 3,
}

internal enum DisciplineForm
{
    /// <summary>Khiển trách.</summary>
    Reprimand = 1,

    /// <summary>Cảnh cáo.</summary>
    Warning = 2,

    /// <summary>Cách chức.</summary>
    Dismissal = 3,

    /// <summary>Khai trừ.</summary>
    Expulsion = 4,
}

internal enum ExemptionReason
{
    Age = 1,
    Health = 2,
}

/// <summary>What a member's dues are computed from.</summary>
internal enum DuesBasisKind
{
    /// <summary>Tiền lương làm căn cứ đóng bảo hiểm xã hội.</summary>
    InsuranceSalary = 1,

    /// <summary>Trợ cấp ốm đau, thai sản.</summary>
    LeaveBenefit = 2,

    /// <summary>Lương hưu.</summary>
    Pension = 3,

    /// <summary>Học sinh, sinh viên: flat amount.</summary>
    Student = 4,

    /// <summary>Hưởng trợ cấp xã hội: exempt.</summary>
    SocialPension = 5,

    /// <summary>Hộ nghèo, cận nghèo: exempt.</summary>
    PoorHousehold = 6,

    /// <summary>Bệnh hiểm nghèo: exempt.</summary>
    SeriousIllness = 7,
}

internal enum TransferState
{
    /// <summary>Sent, waiting for the receiving chi bộ.</summary>
    Sent = 1,

    /// <summary>The receiving chi bộ confirmed receipt.</summary>
    Received = 2,
}

internal static class EnumText
{
    public static string Vi(this MemberStatus status) => status switch
    {
        MemberStatus.Probationary => "Dự bị",
        MemberStatus.Official => "Chính thức",
        MemberStatus.Exempted => "Miễn sinh hoạt",
        MemberStatus.InTransfer => "Đang chuyển sinh hoạt",
        MemberStatus.TransferredOut => "Đã chuyển đi",
        MemberStatus.Left => "Ra khỏi Đảng",
        MemberStatus.Deceased => "Từ trần",
        _ => status.ToString(),
    };

    public static string Vi(this LeaveReason reason) => reason switch
    {
        LeaveReason.RemovedFromRolls => "xóa tên",
        LeaveReason.Expelled => "khai trừ",
        LeaveReason.Resigned => "xin ra khỏi Đảng",
        LeaveReason.Deceased => "từ trần",
        _ => reason.ToString(),
    };

    public static string Vi(this DisciplineForm form) => form switch
    {
        DisciplineForm.Reprimand => "khiển trách",
        DisciplineForm.Warning => "cảnh cáo",
        DisciplineForm.Dismissal => "cách chức",
        DisciplineForm.Expulsion => "khai trừ",
        _ => form.ToString(),
    };

    public static string Vi(this TransferKind kind) => kind switch
    {
        TransferKind.Official => "chính thức",
        TransferKind.Temporary => "tạm thời",
        TransferKind.Internal => "nội bộ",
        _ => kind.ToString(),
    };

    public static string Vi(this Gender gender) => gender == Gender.Male ? "Nam" : "Nữ";

    public static string Vi(this TheoryLevel level) => level switch
    {
        TheoryLevel.Elementary => "Sơ cấp",
        TheoryLevel.Intermediate => "Trung cấp",
        TheoryLevel.Advanced => "Cao cấp",
        TheoryLevel.Bachelor => "Cử nhân",
        _ => "Chưa qua đào tạo",
    };

    /// <summary>Statuses of a member still on the rolls of a chi bộ of this node.</summary>
    public static bool IsOnRolls(this MemberStatus status) =>
        status is MemberStatus.Probationary or MemberStatus.Official or MemberStatus.Exempted or MemberStatus.InTransfer;
}
