using System.Globalization;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace DangVu.Modules.Members.Web;

/// <summary>
/// What the module's pages share: the posted form's values (kept on a refusal), the refusal shown
/// next to the form and field it names, the status code of a refused request, and the
/// organisations a person may pick for a list. Public (like the pages): the shell finds pages
/// among a module's exported types.
/// </summary>
public abstract class MembersPage : ComponentBase
{
    [CascadingParameter] protected HttpContext Http { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [Inject] protected IAuthorizer Authorizer { get; set; } = default!;

    [Inject] protected IOrganisationDirectory Directory { get; set; } = default!;

    private string? _failedForm;
    private readonly Dictionary<string, string> _errors = [];

    /// <summary>A message about the whole page (refusal of the request itself): shown instead of its data.</summary>
    protected string? PageError { get; set; }

    protected bool Posted => HttpMethods.IsPost(Http.Request.Method) && Http.Request.HasFormContentType;

    /// <summary>The value posted for <paramref name="name"/>, or <paramref name="fallback"/> when the page was not posted.</summary>
    protected string Value(string name, string fallback = "") =>
        Posted && Http.Request.Form.TryGetValue(name, out var value) ? value.ToString() : fallback;

    protected DateOnly Date(string name)
    {
        var text = Value(name).Trim();
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || DateOnly.TryParseExact(text, "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            ? date
            : throw new InvalidArgumentException(name, text.Length == 0 ? "Chưa nhập ngày." : $"Ngày \"{text}\" không hợp lệ (ngày/tháng/năm).",
                text.Length == 0 ? "The date is required." : $"\"{text}\" is not a date.");
    }

    /// <summary>A month posted by <c>&lt;input type="month"&gt;</c> (yyyy-MM) or typed as MM/yyyy.</summary>
    protected (int Year, int Month) YearMonth(string name)
    {
        var text = Value(name).Trim();
        return DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            || DateOnly.TryParseExact(text, "MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out month)
            ? (month.Year, month.Month)
            : throw new InvalidArgumentException(name, text.Length == 0 ? "Chưa nhập tháng." : $"Tháng \"{text}\" không hợp lệ (tháng/năm).",
                text.Length == 0 ? "The month is required." : $"\"{text}\" is not a month.");
    }

    protected DateOnly? OptionalDate(string name) => Value(name).Trim().Length == 0 ? null : Date(name);

    protected long Number(string name, long min = 0, long max = long.MaxValue)
    {
        var text = Value(name).Trim().Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new InvalidArgumentException(name, $"\"{Value(name)}\" không phải là số hợp lệ (từ {min} đến {max}).", $"\"{Value(name)}\" is not a number from {min} to {max}.");
    }

    protected T Choice<T>(string name)
        where T : struct, Enum =>
        Enum.TryParse<T>(Value(name), out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidArgumentException(name, "Chưa chọn hoặc chọn không hợp lệ.", "Choose one of the options.");

    /// <summary>
    /// Runs a form's action; on success goes to the address it returns (post/redirect/get; "" stays
    /// on the page, which then shows the result), on a
    /// refusal keeps the page with the message next to the form (and field) and a 4xx status.
    /// </summary>
    protected async Task SubmitAsync(string form, Func<Task<string>> action)
    {
        string next;
        try
        {
            next = await action();
        }
        catch (DangVuException ex)
        {
            Refuse(form, ex);
            return;
        }

        if (next.Length > 0)
        {
            Navigation.NavigateTo(next);
        }
    }

    protected void Refuse(string form, DangVuException ex)
    {
        _failedForm = form;
        var (status, field, message) = ex switch
        {
            InvalidArgumentException invalid => (StatusCodes.Status400BadRequest, invalid.Field, ex.MessageVi),
            RuleViolationException => (StatusCodes.Status422UnprocessableEntity, "", ex.MessageVi),
            ConcurrencyConflictException => (StatusCodes.Status409Conflict, "",
                "Hồ sơ vừa được người khác sửa trong lúc bạn nhập; hãy xem lại thông tin hiện tại rồi gửi lại. " + ex.MessageVi),
            PermissionDeniedException => (StatusCodes.Status403Forbidden, "", ex.MessageVi),
            NotFoundException => (StatusCodes.Status404NotFound, "", ex.MessageVi),
            _ => (StatusCodes.Status400BadRequest, "", ex.MessageVi),
        };
        Http.Response.StatusCode = status;
        // The message above the form, and again next to its field when it names one.
        _errors[""] = message;
        if (field.Length > 0)
        {
            _errors[field] = message;
        }
    }

    /// <summary>Answers the whole request with a refusal (403/404) and no data.</summary>
    protected void RefusePage(DangVuException ex)
    {
        Http.Response.StatusCode = ex is NotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
        PageError = ex.MessageVi;
    }

    /// <summary>The refusal of <paramref name="form"/> for <paramref name="field"/> ("" = the form's own message).</summary>
    protected RenderFragment Error(string form, string field = "") => builder =>
    {
        if (_failedForm != form || !_errors.TryGetValue(field, out var message))
        {
            return;
        }

        builder.OpenElement(0, field.Length == 0 ? "p" : "span");
        builder.AddAttribute(1, "class", field.Length == 0 ? "error" : "field-error");
        builder.AddAttribute(2, "id", field.Length == 0 ? $"{form}-error" : $"{form}-{field}-error");
        builder.AddAttribute(3, "role", "alert");
        builder.AddContent(4, message);
        builder.CloseElement();
    };

    /// <summary>
    /// The organisations where the person holds <paramref name="permission"/> (sorted by code) and
    /// the one chosen by <paramref name="code"/> (the first when none is chosen); a chosen code
    /// outside that scope or unknown answers 403/404.
    /// </summary>
    protected async Task<(List<OrgUnitInfo> Units, OrgUnitInfo? Selected)> UnitsAsync(string permission, string? code)
    {
        var units = new List<OrgUnitInfo>();
        foreach (var id in await Authorizer.ScopeAsync(permission, Http.RequestAborted))
        {
            if (await Directory.FindAsync(id, Http.RequestAborted) is { } unit)
            {
                units.Add(unit);
            }
        }

        units.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        if (string.IsNullOrEmpty(code))
        {
            return (units, units.FirstOrDefault());
        }

        var selected = units.FirstOrDefault(u => u.Code == code);
        if (selected is null)
        {
            var known = await Directory.FindByCodeAsync(code, Http.RequestAborted) is not null;
            RefusePage(known
                ? new PermissionDeniedException($"Bạn không có quyền xem tổ chức {code}.", $"You may not see organisation {code}.")
                : new NotFoundException($"Không tìm thấy tổ chức {code}.", $"Organisation {code} was not found."));
        }

        return (units, selected);
    }
}
