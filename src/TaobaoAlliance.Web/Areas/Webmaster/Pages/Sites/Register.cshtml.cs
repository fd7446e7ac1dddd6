using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Audit;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Web.Links;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Sites;

/// <summary>
/// Registers a webmaster's site: validated fields, a fresh ownership token, and the first line of the
/// site's history and of the audit log. The site then waits for verification and an admin's review.
/// </summary>
public sealed class RegisterModel(
    AllianceDbContext db,
    CurrentActor me,
    AuditTrail audit,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<RegisterModel> logger) : PageModel
{
    /// <summary>URL-safe characters of the verification token.</summary>
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public sealed class SiteInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Site name")]
        public string Name { get; set; } = "";

        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(500, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Home page address")]
        public string Url { get; set; } = "";

        [Required(ErrorMessage = "Choose a category.")]
        [Display(Name = "Category")]
        public int? CategoryId { get; set; }

        [Required(ErrorMessage = "{0} is required.")]
        [Range(0, 100_000_000, ErrorMessage = "{0} must be between {1} and {2}.")]
        [Display(Name = "Daily unique visitors")]
        public int? ClaimedDailyVisitors { get; set; }

        [StringLength(2000, ErrorMessage = "{0} can be at most {1} characters.")]
        [Display(Name = "Description")]
        public string? Description { get; set; }
    }

    public sealed record CategoryOption(int Id, string Name);

    [BindProperty] public SiteInput Input { get; set; } = new();

    public IReadOnlyList<CategoryOption> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is null) return NotFound();
        await LoadCategoriesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        await LoadCategoriesAsync(ct);

        var url = CheckUrl(Input.Url);
        if (Input.CategoryId is { } categoryId && Categories.All(c => c.Id != categoryId))
        {
            ModelState.AddModelError("Input.CategoryId", localizer["Choose a category."]);
        }
        if (url is not null && await db.Sites.AnyAsync(s => s.WebmasterId == webmasterId && s.Url == url, ct))
        {
            ModelState.AddModelError("Input.Url", localizer["You have already registered this address."]);
        }
        if (!ModelState.IsValid || url is null) return Page();

        var now = clock.GetUtcNow();
        var site = new Site
        {
            WebmasterId = webmasterId,
            Name = Input.Name.Trim(),
            Url = url,
            CategoryId = Input.CategoryId!.Value,
            ClaimedDailyVisitors = Input.ClaimedDailyVisitors!.Value,
            Description = Input.Description?.Trim() ?? "",
            VerificationToken = NewVerificationToken(),
            State = SiteState.Pending,
            CreatedAt = now,
        };
        site.Reviews.Add(new SiteReview { ToState = SiteState.Pending, Reason = SiteHistoryNotes.Registered, ActorUserId = User.UserId(), At = now });
        db.Sites.Add(site);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            audit.Record(User.UserId(), "site.register", "site", site.Id, new { site.Name, site.Url, site.CategoryId, site.ClaimedDailyVisitors });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        logger.LogInformation("Webmaster {WebmasterId} registered site {SiteId}", webmasterId, site.Id);
        TempData["SiteMessage"] = localizer["Site registered. Now prove that you own it: add the tag below to your home page and press “Verify now”."].Value;
        return RedirectToPage("/Sites/Details", new { area = "Webmaster", id = site.Id });
    }

    /// <summary>"ta-" and 24 random URL-safe characters: unguessable, and harmless inside an HTML attribute.</summary>
    public static string NewVerificationToken() => "ta-" + RandomNumberGenerator.GetString(TokenAlphabet, 24);

    /// <summary>
    /// The address as it will be stored, or null with a form message: absolute http(s), with a host,
    /// and without a user name or password (which would end up in our logs and pages).
    /// </summary>
    private string? CheckUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null; // [Required] has said so
        var trimmed = text.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            ModelState.AddModelError("Input.Url", localizer["Enter the full address of your home page, starting with http:// or https://."]);
            return null;
        }
        if (uri.UserInfo.Length > 0)
        {
            ModelState.AddModelError("Input.Url", localizer["The address must not contain a user name or password."]);
            return null;
        }
        return trimmed.Length <= 500 ? trimmed : null;
    }

    private async Task LoadCategoriesAsync(CancellationToken ct)
    {
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new CategoryOption(c.Id, zh ? c.NameZh : c.NameEn)).ToListAsync(ct);
    }
}
