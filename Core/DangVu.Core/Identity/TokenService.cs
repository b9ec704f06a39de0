using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Identity;

/// <summary>
/// Short-lived bearer tokens for RPC callers, signed with a key kept in the installation's data
/// folder (never in the repository). A token dies with its expiry, a password change, a new
/// second factor or the account being disabled.
/// </summary>
internal sealed class TokenService(DangVuInstallation installation, IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly Lazy<byte[]> _key = new(() => LoadOrCreateKey(installation.DataDirectory));

    public (string Token, DateTimeOffset ExpiresAt) Issue(Platform.UserAccount user)
    {
        var expires = time.GetUtcNow() + Lifetime;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(user.Id, user.UserName, user.SecurityStamp, expires.ToUnixTimeSeconds()));
        var body = Base64Url(payload);
        return ($"{body}.{Base64Url(HMACSHA256.HashData(_key.Value, Encoding.ASCII.GetBytes(body)))}", expires);
    }

    /// <summary>The actor a token stands for, or null when it is forged, expired or revoked.</summary>
    public async Task<Actor?> ValidateAsync(string token, string? address, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 2)
        {
            return null;
        }

        var expected = HMACSHA256.HashData(_key.Value, Encoding.ASCII.GetBytes(parts[0]));
        byte[] signature;
        Payload? payload;
        try
        {
            signature = FromBase64Url(parts[1]);
            payload = JsonSerializer.Deserialize<Payload>(FromBase64Url(parts[0]));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }

        if (payload is null || !CryptographicOperations.FixedTimeEquals(signature, expected) || payload.Exp < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Platform.CoreDbContext>();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == payload.Sub, cancellationToken);
        return user is { Disabled: false } && user.SecurityStamp == payload.Stamp
            ? new Actor(ActorKind.User, user.UserName, user.Id, address)
            : null;
    }

    private static byte[] LoadOrCreateKey(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "keys");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "token.key");
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(key);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private sealed record Payload(Guid Sub, string Name, string Stamp, long Exp);
}
