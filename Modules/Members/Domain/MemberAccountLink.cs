namespace DangVu.Modules.Members.Domain;

/// <summary>
/// The link of a sign-in account to the member it belongs to (one account, one member). Named by
/// the account's user name: Core gives modules no user directory, and the name is what a person
/// signs in with. Node-local: accounts are, so the link is not a replicated record.
/// </summary>
internal sealed class MemberAccountLink
{
    public const int MaxUserName = 100;

    public Guid MemberId { get; set; }

    /// <summary>The user name, lower case.</summary>
    public string UserName { get; set; } = "";

    public DateTime LinkedAt { get; set; }

    public string LinkedBy { get; set; } = "";
}
