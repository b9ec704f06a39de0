using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace DangVu.Web.Tests;

/// <summary>One visitor of the web shell over plain HTTP: a cookie jar, no redirects followed.</summary>
internal sealed class WebSession : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _http;

    public WebSession(Uri address)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<Page> PageAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return await Page.ReadAsync(response);
    }

    /// <summary>Fills and submits the form named <paramref name="formName"/> (or the one posting to the path) found on <paramref name="pagePath"/>.</summary>
    public async Task<Page> SubmitAsync(string pagePath, string? formName, IDictionary<string, string> fields, string? action = null, bool withToken = true)
    {
        var page = await PageAsync(pagePath);
        var form = page.Document.Forms.FirstOrDefault(f =>
                       formName is null
                           ? action is null || f.GetAttribute("action") == action
                           : f.QuerySelector($"input[name=_handler][value='{formName}']") is not null)
                   ?? throw new InvalidOperationException($"No form '{formName ?? action}' on {pagePath} ({page.Status}):\n{page.Html}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
        {
            if (!withToken && input.Name == "__RequestVerificationToken")
            {
                continue;
            }

            if (!fields.ContainsKey(input.Name!))
            {
                values.Add(new(input.Name!, input.Value));
            }
        }

        values.AddRange(fields);
        var target = action ?? form.GetAttribute("action") ?? pagePath;
        using var response = await _http.PostAsync(target, new FormUrlEncodedContent(values));
        return await Page.ReadAsync(response);
    }

    /// <summary>Submits the multipart form <paramref name="formName"/> of <paramref name="pagePath"/> with one file, as a browser uploads it.</summary>
    public async Task<Page> SubmitFileAsync(string pagePath, string formName, string field, string fileName, byte[] content)
    {
        var page = await PageAsync(pagePath);
        var form = page.Document.Forms.FirstOrDefault(f => f.QuerySelector($"input[name=_handler][value='{formName}']") is not null)
                   ?? throw new InvalidOperationException($"No form '{formName}' on {pagePath} ({page.Status}):\n{page.Html}");
        using var body = new MultipartFormDataContent();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
        {
            body.Add(new StringContent(input.Value), input.Name!);
        }

        body.Add(new ByteArrayContent(content), field, fileName);
        using var response = await _http.PostAsync(form.GetAttribute("action") ?? pagePath, body);
        return await Page.ReadAsync(response);
    }

    public async Task SignInAsync(string userName, string password, string expectedLocation = "/")
    {
        var page = await SubmitAsync("/account/signin", "signin", new Dictionary<string, string> { ["userName"] = userName, ["password"] = password });
        page.Status.Should().Be(HttpStatusCode.Found, page.Html);
        page.Location.Should().Be(expectedLocation);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A response: status, redirect target and the parsed page.</summary>
    internal sealed record Page(HttpStatusCode Status, string? Location, string Html, IHtmlDocument Document, HttpResponseMessage Response)
    {
        public static async Task<Page> ReadAsync(HttpResponseMessage response)
        {
            var html = await response.Content.ReadAsStringAsync();
            var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : null;
            return new Page(response.StatusCode, location, html, Parser.ParseDocument(html), response);
        }

        public string? Text(string selector) => Document.QuerySelector(selector)?.TextContent.Trim();
    }
}
