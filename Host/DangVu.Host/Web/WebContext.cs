using System.Security.Claims;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Modules;
using DangVu.Core.Platform;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Host.Web;

/// <summary>
/// What the pages of one request need to know: the language, the signed-in person, the
/// organisation they work for, and what they may see. Cached for the request.
/// The layout and the page render concurrently, so this keeps a service scope (and DbContext) of
/// its own, used by one caller at a time, apart from the one the page uses.
/// </summary>
internal sealed class WebContext(
    IHttpContextAccessor accessor, IServiceScopeFactory scopes, OrganisationDirectory directory, ModuleRegistry registry, NavigationManager navigation)
    : IAsyncDisposable
{
    public const string LanguageCookie = "dv_lang";
    public const string OrganisationCookie = "dv_org";

    private readonly Dictionary<string, bool> _everywhere = [];
    private readonly Dictionary<string, IReadOnlySet<Guid>> _scopes = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<RoleGrant>? _grants;
    private AsyncServiceScope? _scope;

    private CoreDbContext Db => Services.GetRequiredService<CoreDbContext>();

    private IAuthorizer Authorizer => Services.GetRequiredService<IAuthorizer>();

    private IServiceProvider Services => (_scope ??= scopes.CreateAsyncScope()).ServiceProvider;

    private HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("No request");

    /// <summary>Vietnamese unless the person chose English.</summary>
    public bool English => Http.Request.Cookies[LanguageCookie] == "en";

    public string Language => English ? "en" : "vi";

    public string T(string vi, string en) => English ? en : vi;

    public bool SignedIn => Http.User.Identity?.IsAuthenticated == true;

    public Guid? UserId => Guid.TryParse(Http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public string UserName => Http.User.Identity?.Name ?? "";

    public string DisplayName => Http.User.FindFirstValue(SessionCookie.DisplayNameClaim) ?? UserName;

    public string PathAndQuery => Http.Request.Path + Http.Request.QueryString;

    /// <summary>The request's id, on the page's body: tests (and people reporting a problem) can tell one page load from the next.</summary>
    public string RequestId => Http.TraceIdentifier;

    /// <summary>The person's role grants.</summary>
    public Task<List<RoleGrant>> GrantsAsync() => OneAtATimeAsync(GrantsCoreAsync);

    private async Task<List<RoleGrant>> GrantsCoreAsync()
    {
        if (_grants is null)
        {
            var id = UserId;
            _grants = id is null ? [] : await Db.Grants.AsNoTracking().Where(g => g.UserId == id).ToListAsync();
        }

        return _grants;
    }

    /// <summary>Whether the person holds the permission for the whole installation (a grant without organisation).</summary>
    public Task<bool> HoldsEverywhereAsync(string permission) => OneAtATimeAsync(async () =>
    {
        if (_everywhere.TryGetValue(permission, out var cached))
        {
            return cached;
        }

        var roles = (await GrantsCoreAsync()).Where(g => g.OrgUnitId is null).Select(g => g.RoleCode).Distinct().ToList();
        var holds = roles.Count > 0 && await Db.RolePermissions.AsNoTracking()
            .AnyAsync(p => roles.Contains(p.RoleCode) && (p.Permission == "*" || p.Permission == permission));
        return _everywhere[permission] = holds;
    });

    /// <summary>The organisations the person holds the permission for.</summary>
    public Task<IReadOnlySet<Guid>> ScopeAsync(string permission) => OneAtATimeAsync(async () =>
    {
        if (!_scopes.TryGetValue(permission, out var scope))
        {
            scope = _scopes[permission] = await Authorizer.ScopeAsync(permission);
        }

        return scope;
    });

    /// <summary>Whether the person holds the permission for at least one organisation (or everywhere).</summary>
    public async Task<bool> HoldsAnywhereAsync(string permission) =>
        await HoldsEverywhereAsync(permission) || (await ScopeAsync(permission)).Count > 0;

    public Task<bool> MayAsync(string permission, Guid orgUnitId) => OneAtATimeAsync(() => Authorizer.IsAllowedAsync(permission, orgUnitId));

    /// <summary>Marks the response 403 when <paramref name="allowed"/> is false; the page then shows the refusal.</summary>
    public bool Deny(bool allowed)
    {
        if (!allowed)
        {
            Http.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return !allowed;
    }

    /// <summary>Answers 404 with the shell's not-found page instead of the current page.</summary>
    public void NotFound() => navigation.NotFound();

    /// <summary>The navigation the person may see: the modules' entries and the administration pages.</summary>
    public async Task<List<NavigationItem>> NavigationAsync()
    {
        var items = new List<NavigationItem>();
        foreach (var item in registry.Navigation.Concat(AdminNavigation).OrderBy(i => i.Order).ThenBy(i => i.TitleVi, StringComparer.Ordinal))
        {
            if (item.RequiredPermission is null || await HoldsAnywhereAsync(item.RequiredPermission))
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>The organisations the person holds a role in, for the organisation switcher.</summary>
    public async Task<List<OrgUnitInfo>> MyOrganisationsAsync()
    {
        var result = new List<OrgUnitInfo>();
        foreach (var id in (await GrantsAsync()).Where(g => g.OrgUnitId is not null).Select(g => g.OrgUnitId!.Value).Distinct())
        {
            if (await directory.FindAsync(id) is { } unit)
            {
                result.Add(unit);
            }
        }

        return result.OrderBy(o => o.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>The organisation the person chose to work for (cookie), else their first.</summary>
    public async Task<OrgUnitInfo?> CurrentOrganisationAsync()
    {
        var mine = await MyOrganisationsAsync();
        var chosen = Http.Request.Cookies[OrganisationCookie];
        return mine.FirstOrDefault(o => o.Code == chosen) ?? mine.FirstOrDefault();
    }

    public static readonly NavigationItem[] AdminNavigation =
    [
        new("Người dùng", "Users", "/admin/users", CorePermissions.ManageUsers, 900),
        new("Vai trò", "Roles", "/admin/roles", CorePermissions.ManageUsers, 910),
        new("Tổ chức đảng", "Organisations", "/admin/organisations", CorePermissions.ManageOrganisations, 920),
        new("Mô-đun", "Modules", "/admin/modules", CorePermissions.ManageModules, 930),
        new("Liên kết nút", "Federation", "/admin/federation", CorePermissions.ManageFederation, 935),
        new("Nhật ký kiểm toán", "Audit log", "/admin/audit", CorePermissions.ReadAudit, 940),
    ];

    public async ValueTask DisposeAsync()
    {
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }

        _gate.Dispose();
    }

    private async Task<T> OneAtATimeAsync<T>(Func<Task<T>> action)
    {
        await _gate.WaitAsync();
        try
        {
            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Only local paths, so a crafted link cannot send a person elsewhere after signing in.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
