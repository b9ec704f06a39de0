using System.Net;
using Microsoft.AspNetCore.Http;

namespace DangVu.Host.Web;

/// <summary>The first-run page is offered only to the machine itself, and only while no account exists.</summary>
internal static class FirstRun
{
    public static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
