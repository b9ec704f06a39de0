using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Platform;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Identity;

internal enum SignInStatus
{
    Succeeded,
    Failed,
    RequiresTotp,
    LockedOut,
    Disabled,
}

/// <summary>The outcome of a sign-in attempt; <see cref="MessageVi"/> is what to show the person.</summary>
internal sealed record SignInResult(SignInStatus Status, UserAccount? User, string MessageVi, string MessageEn)
{
    public bool Succeeded => Status == SignInStatus.Succeeded;
}

/// <summary>
/// User accounts: creation, sign-in with lockout and optional TOTP, password changes. Passwords
/// are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>. Every sign-in
/// (success and failure) is written to the audit trail.
/// </summary>
internal sealed class UserService(CoreDbContext db, TimeProvider time)
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<UserAccount> Hasher = new();

    public Task<bool> AnyUsersAsync(CancellationToken cancellationToken) => db.Users.AnyAsync(cancellationToken);

    public Task<UserAccount?> FindAsync(string userName, CancellationToken cancellationToken) =>
        db.Users.SingleOrDefaultAsync(u => u.UserName == Normalize(userName), cancellationToken);

    public Task<UserAccount?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);

    public Task<List<UserAccount>> ListAsync(CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);

    /// <summary>Creates an account; without a password one is generated. The person must change it at first sign-in.</summary>
    public async Task<(UserAccount User, string Password)> CreateAsync(string userName, string displayName, string? password, CancellationToken cancellationToken)
    {
        var name = Normalize(userName);
        if (name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new InvalidArgumentException("userName",
                "Tên đăng nhập gồm 3–64 chữ cái không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang",
                "The user name must be 3–64 ASCII letters, digits, dots, underscores or dashes");
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new InvalidArgumentException("displayName", "Cần nhập họ tên", "The display name is required");
        }

        if (await db.Users.AnyAsync(u => u.UserName == name, cancellationToken))
        {
            throw new RuleViolationException("user.unique", $"Tên đăng nhập '{name}' đã có", $"User name '{name}' is taken");
        }

        password ??= PasswordPolicy.Generate();
        PasswordPolicy.Check(name, password);
        var user = new UserAccount
        {
            UserName = name,
            DisplayName = displayName.Trim(),
            MustChangePassword = true,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return (user, password);
    }

    public async Task<SignInResult> SignInAsync(string userName, string password, string? totpCode, string? address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await FindAsync(userName, cancellationToken);
        using var _ = Actor.Use(new Actor(ActorKind.User, Normalize(userName), user?.Id, address));
        SignInResult result;
        if (user is null)
        {
            result = Failed(null);
        }
        else if (user.Disabled)
        {
            result = new SignInResult(SignInStatus.Disabled, user,
                "Tài khoản đã bị vô hiệu hóa; hãy liên hệ quản trị viên", "The account is disabled; contact the administrator");
        }
        else if (user.LockedUntil is { } until && until > now.UtcDateTime)
        {
            result = LockedOut(user, until);
        }
        else if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            result = CountFailure(user, now);
        }
        else if (user.TotpEnabled && string.IsNullOrWhiteSpace(totpCode))
        {
            result = new SignInResult(SignInStatus.RequiresTotp, user,
                "Nhập mã 6 số từ ứng dụng xác thực", "Enter the 6-digit code from your authenticator app");
        }
        else if (user.TotpEnabled && !Totp.Verify(user.TotpSecret!, totpCode, now))
        {
            result = CountFailure(user, now);
        }
        else
        {
            user.FailedSignIns = 0;
            user.LockedUntil = null;
            user.Version++;
            result = new SignInResult(SignInStatus.Succeeded, user, "Đăng nhập thành công", "Signed in");
        }

        db.Audit(result.Succeeded ? "sign-in" : "sign-in.failed", "core.user", user?.Id.ToString() ?? Normalize(userName),
            result.Succeeded ? null : result.Status.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    public async Task ChangePasswordAsync(Guid userId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userId, cancellationToken) ?? throw NotFound();
        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            throw new InvalidArgumentException("currentPassword", "Mật khẩu hiện tại không đúng", "The current password is wrong");
        }

        if (currentPassword == newPassword)
        {
            throw new InvalidArgumentException("newPassword", "Mật khẩu mới phải khác mật khẩu cũ", "The new password must differ from the old one");
        }

        PasswordPolicy.Check(user.UserName, newPassword);
        SetPassword(user, newPassword, mustChange: false);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets a new random password that must be changed at the next sign-in; returns it.</summary>
    public async Task<string> ResetPasswordAsync(string userName, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userName, cancellationToken) ?? throw NotFound(userName);
        var password = PasswordPolicy.Generate();
        SetPassword(user, password, mustChange: true);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return password;
    }

    public async Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userName, cancellationToken) ?? throw NotFound(userName);
        user.Disabled = disabled;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.Version++;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Starts two-factor setup: a new secret to show as a QR code; it takes effect once confirmed with a code.</summary>
    public async Task<string> BeginTotpSetupAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userId, cancellationToken) ?? throw NotFound();
        user.TotpSecret = Totp.NewSecret();
        user.TotpEnabled = false;
        user.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return user.TotpSecret;
    }

    public async Task ConfirmTotpAsync(Guid userId, string code, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userId, cancellationToken) ?? throw NotFound();
        if (user.TotpSecret is null || !Totp.Verify(user.TotpSecret, code, time.GetUtcNow()))
        {
            throw new InvalidArgumentException("code", "Mã xác thực không đúng; hãy thử mã mới", "The code is wrong; try a fresh one");
        }

        user.TotpEnabled = true;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.Version++;
        await db.SaveChangesAsync(cancellationToken);
    }

    public static string Normalize(string userName) => userName.Trim().ToLowerInvariant();

    private SignInResult CountFailure(UserAccount user, DateTimeOffset now)
    {
        user.FailedSignIns++;
        user.Version++;
        if (user.FailedSignIns >= MaxFailedSignIns)
        {
            user.FailedSignIns = 0;
            user.LockedUntil = now.UtcDateTime + LockoutDuration;
            return LockedOut(user, user.LockedUntil.Value);
        }

        return Failed(user);
    }

    private static SignInResult Failed(UserAccount? user) =>
        new(SignInStatus.Failed, user, "Tên đăng nhập hoặc mật khẩu không đúng", "Wrong user name or password");

    private static SignInResult LockedOut(UserAccount user, DateTime until) =>
        new(SignInStatus.LockedOut, user,
            $"Tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau {until.ToLocalTime():HH:mm}",
            $"The account is locked after repeated failures; try again after {until.ToLocalTime():HH:mm}");

    private static void SetPassword(UserAccount user, string password, bool mustChange)
    {
        user.PasswordHash = Hasher.HashPassword(user, password);
        user.MustChangePassword = mustChange;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.Version++;
    }

    private static NotFoundException NotFound(string? userName = null) =>
        new($"Không có tài khoản {userName}".TrimEnd(), $"No such account {userName}".TrimEnd());
}
