using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using DangVu.Core.Hosting;
using DangVu.Core.Modules;
using DangVu.Host.Web.Components;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace DangVu.Host.Web;

/// <summary>
/// The web shell: Razor Components rendered on the server (no script), cookie sign-in for people,
/// anti-forgery, security headers, and the pages of the Host and of every loaded module.
/// </summary>
internal sealed class WebShell : IWebShell
{
    public const string AuthCookie = "dv_auth";
    public const string SignInPath = "/account/signin";
    public const string ForbiddenPath = "/forbidden";

    public void ConfigureServices(IServiceCollection services, DangVuInstallation installation)
    {
        services.AddRazorComponents();
        // Vietnamese letters as they are, not as character references.
        services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(installation.DataDirectory, "keys")))
            .SetApplicationName("DangVu");
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "dv_af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = AuthCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = SignInPath;
                options.LogoutPath = "/account/signout";
                options.AccessDeniedPath = ForbiddenPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = SessionCookie.ValidateAsync;
            });
        services.AddAuthorization();
        services.AddScoped<WebContext>();
        services.AddSingleton(new ShellAssemblies());
    }

    public void UseBeforeActor(WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseMiddleware<PasswordChangeGate>();
    }

    public void MapEndpoints(WebApplication app, ModuleRegistry registry)
    {
        AccountEndpoints.Map(app);
        MapStyleSheets(app);
        var modules = registry.Loaded
            .Select(e => e.Instance!.GetType().Assembly)
            .Distinct()
            .Where(HasPages)
            .ToArray();
        app.Services.GetRequiredService<ShellAssemblies>().Modules = modules;

        // Default deny: every page needs a signed-in person unless it says [AllowAnonymous];
        // what that person may see is then decided by the page with the authorizer.
        app.MapRazorComponents<App>()
            .AddAdditionalAssemblies(modules)
            .Add(endpoint =>
            {
                if (!endpoint.Metadata.OfType<IAllowAnonymous>().Any())
                {
                    endpoint.Metadata.Add(new AuthorizeAttribute());
                }
            });
    }

    /// <summary>
    /// The shell's stylesheets, from the program's own wwwroot (the content root is the
    /// installation's home). An endpoint rather than the static-files middleware, which stands
    /// aside whenever routing has matched an endpoint.
    /// </summary>
    private static void MapStyleSheets(WebApplication app)
    {
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        var types = new FileExtensionContentTypeProvider();
        app.MapMethods("/css/{**path}", [HttpMethods.Get, HttpMethods.Head], (string path, HttpContext http) =>
        {
            var file = files.GetFileInfo("css/" + path);
            if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(file.PhysicalPath, types.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream",
                lastModified: file.LastModified, enableRangeProcessing: false);
        }).AllowAnonymous();
    }

    private static bool HasPages(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes().Any(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any());
        }
        catch (ReflectionTypeLoadException)
        {
            return false;
        }
    }
}

/// <summary>The module assemblies whose pages the router knows, set once endpoints are mapped.</summary>
internal sealed class ShellAssemblies
{
    public IReadOnlyList<Assembly> Modules { get; set; } = [];
}
