using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TaobaoAlliance.Web.Pages;

/// <summary>Friendly error and not-found page (status code pages re-execute here).</summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Code { get; set; }
    public string? RequestId { get; private set; }
    public bool IsNotFound => Code == 404;
    public bool IsTooManyRequests => Code == 429;

    public void OnGet() => RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
}
