using DangVu.Core.Abstractions.Security;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// Sổ tay đảng viên: a person whose account is linked to a member file sees that file and its dues
/// ledger, without any role; linking and unlinking need members.write on the member's chi bộ.
/// </summary>
internal sealed class MemberHandbook(MemberAccess access, DuesService dues)
{
    public async Task LinkAsync(Guid memberId, string userName, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Write, memberId, 0, cancellationToken);
        var name = (userName ?? "").Trim().ToLowerInvariant();
        if (name.Length is 0 or > MemberAccountLink.MaxUserName || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            throw Refuse.Field("user_name", "Tên đăng nhập không hợp lệ (chữ không dấu, số, dấu . - _ @; tối đa 100 ký tự).",
                "The user name is invalid (ASCII letters, digits, . - _ @; at most 100).");
        }

        if (await access.Db.AccountLinks.AnyAsync(l => l.UserName == name && l.MemberId != memberId, cancellationToken))
        {
            throw Refuse.Rule("account.already-linked", $"Tài khoản {name} đã được liên kết với hồ sơ của một đảng viên khác.",
                $"Account {name} is already linked to another member.");
        }

        var link = await access.Db.AccountLinks.SingleOrDefaultAsync(l => l.MemberId == memberId, cancellationToken);
        if (link is null)
        {
            link = new MemberAccountLink { MemberId = memberId };
            access.Db.AccountLinks.Add(link);
        }

        link.UserName = name;
        link.LinkedAt = DateTime.UtcNow;
        link.LinkedBy = Actor.Current.Name;
        access.Record(member, "account-linked", $"Liên kết tài khoản {name} với hồ sơ (sổ tay đảng viên)");
        await access.SaveAsync(cancellationToken);
    }

    public async Task UnlinkAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Write, memberId, 0, cancellationToken);
        if (await access.Db.AccountLinks.SingleOrDefaultAsync(l => l.MemberId == memberId, cancellationToken) is { } link)
        {
            access.Db.AccountLinks.Remove(link);
            access.Record(member, "account-unlinked", $"Bỏ liên kết tài khoản {link.UserName}");
            await access.SaveAsync(cancellationToken);
        }
    }

    /// <summary>The account linked to a member the caller may read; null when none.</summary>
    public async Task<string?> LinkedAccountAsync(Guid memberId, CancellationToken cancellationToken)
    {
        await access.LoadAsync(MembersPermissions.Read, memberId, 0, cancellationToken);
        return await access.Db.AccountLinks.AsNoTracking().Where(l => l.MemberId == memberId).Select(l => l.UserName).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The signed-in person's own member file; null when their account is linked to none.</summary>
    public async Task<Member?> OwnAsync(CancellationToken cancellationToken)
    {
        var actor = Actor.Current;
        if (actor.Kind != ActorKind.User)
        {
            return null;
        }

        var name = actor.Name.ToLowerInvariant();
        var memberId = await access.Db.AccountLinks.AsNoTracking().Where(l => l.UserName == name).Select(l => (Guid?)l.MemberId).SingleOrDefaultAsync(cancellationToken);
        return memberId is null ? null : await access.Db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken);
    }

    /// <summary>The signed-in person's own dues ledger for a year; null when their account is linked to no member.</summary>
    public async Task<DuesLedger?> OwnLedgerAsync(int year, CancellationToken cancellationToken) =>
        await OwnAsync(cancellationToken) is { } member ? await dues.LedgerOfAsync(member, year, cancellationToken) : null;
}
