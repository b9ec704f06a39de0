using Microsoft.Playwright;

namespace DangVu.Web.Tests;

/// <summary>
/// Debian's chromium driven by Playwright (which cannot download its own browsers here): headless,
/// with the flags that keep it from reaching for the network, and a fresh profile per test.
/// Missing chromium fails the test, unless DANGVU_TEST_SKIP_BROWSER=1 leaves browser tests out.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;

    private readonly string _profile;

    private Browser(IBrowserContext context, IPage page, string profile)
    {
        Context = context;
        Page = page;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<Browser> OpenAsync(Uri baseAddress)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: run build/setup/chromium.sh (build/test.sh does), or set DANGVU_TEST_SKIP_BROWSER=1 to leave the browser tests out.");
        }

        await Gate.WaitAsync();
        try
        {
            _playwright ??= await Playwright.CreateAsync();
        }
        finally
        {
            Gate.Release();
        }

        var profile = TestPaths.NewTempDirectory("chromium");
        var context = await _playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            Locale = "vi-VN",
            Timeout = 60_000,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            ],
        });
        context.SetDefaultTimeout(20_000);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new Browser(context, page, profile);
    }

    /// <summary>Fills the sign-in form and submits it.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        await Page.GotoAsync("/account/signin");
        await Page.FillAsync("#userName", userName);
        await Page.FillAsync("#password", password);
        await ClickAndWaitForNextPageAsync("#sign-in");
    }

    /// <summary>Clicks what submits a form or follows a link, and waits until the page the server answered with is shown.</summary>
    public async Task ClickAndWaitForNextPageAsync(string selector)
    {
        var before = await Page.GetAttributeAsync("body", "data-request");
        await Page.ClickAsync(selector);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var now = await Page.GetAttributeAsync("body", "data-request", new PageGetAttributeOptions { Timeout = 2_000 });
                if (now is not null && now != before)
                {
                    break;
                }
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // The old page is going away; ask the new one.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No new page after clicking {selector}; still at {Page.Url}:\n{await Page.ContentAsync()}");
            }

            await Task.Delay(50);
        }

        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    public string Path => new Uri(Page.Url).AbsolutePath;

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }
    }
}

/// <summary>A browser test: skipped only when DANGVU_TEST_SKIP_BROWSER=1 says so.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DANGVU_TEST_SKIP_BROWSER") == "1")
        {
            Skip = "DANGVU_TEST_SKIP_BROWSER=1";
        }
    }
}
