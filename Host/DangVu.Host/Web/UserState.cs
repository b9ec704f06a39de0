using DangVu.Core.Platform;

namespace DangVu.Host.Web;

internal static class UserState
{
    public static string Describe(UserAccount user, WebContext web) =>
        user.Disabled ? web.T("Vô hiệu hóa", "Disabled")
        : user.LockedUntil > DateTime.UtcNow ? web.T("Tạm khóa", "Locked")
        : user.MustChangePassword ? web.T("Chờ đổi mật khẩu", "Must change password")
        : web.T("Hoạt động", "Active");
}
