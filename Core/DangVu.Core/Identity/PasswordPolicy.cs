using DangVu.Core.Abstractions.Errors;

namespace DangVu.Core.Identity;

/// <summary>What a password must be: long enough, not guessable from the account.</summary>
internal static class PasswordPolicy
{
    public const int MinimumLength = 10;

    public static void Check(string userName, string password)
    {
        if (password.Length < MinimumLength)
        {
            throw new InvalidArgumentException("password",
                $"Mật khẩu cần ít nhất {MinimumLength} ký tự", $"The password needs at least {MinimumLength} characters");
        }

        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            throw new InvalidArgumentException("password",
                "Mật khẩu cần có cả chữ và số", "The password needs both letters and digits");
        }

        if (password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidArgumentException("password",
                "Mật khẩu không được chứa tên đăng nhập", "The password must not contain the user name");
        }
    }

    /// <summary>A random password that satisfies the policy, for new accounts and resets.</summary>
    public static string Generate()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ";
        const string digits = "23456789";
        var chars = Enumerable.Range(0, 10).Select(_ => letters[System.Security.Cryptography.RandomNumberGenerator.GetInt32(letters.Length)])
            .Concat(Enumerable.Range(0, 4).Select(_ => digits[System.Security.Cryptography.RandomNumberGenerator.GetInt32(digits.Length)]))
            .ToArray();
        System.Security.Cryptography.RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
