using System.Net;
using Microsoft.AspNetCore.Http;

namespace DangVu.Host.Web;

/// <summary>
/// The first-run page is offered only to the machine itself, and only while no account exists. A
/// request relayed by a reverse proxy on the same machine arrives from loopback too, so one
/// carrying a forwarding header is not taken as local.
/// </summary>
internal static class FirstRun
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host"];

    public static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address
        && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
        && !ForwardingHeaders.Any(http.Request.Headers.ContainsKey);
}
