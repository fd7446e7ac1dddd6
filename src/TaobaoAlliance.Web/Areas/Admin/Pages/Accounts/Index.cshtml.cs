using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Accounts;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Mail;
using Microsoft.Extensions.Options;
using System.Text.Encodings.Web;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Accounts;

/// <summary>
/// Every account with its roles, when it was created and whether it is disabled; search by email or
/// name. Disabling refuses sign-in from then on (the sign-in page checks it, and the lockout end is set
/// far ahead for any other way in) and ends the account's sessions by changing its security stamp (<see cref="AccountAccess"/>).
/// </summary>
public sealed class IndexModel(AllianceDbContext db, AccountAccess access, AdminInvites invites, IEmailSender email, IOptions<PublicSiteOptions> site,
    IOptions<AccountOptions> accountOptions, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int PageSize = 25;

    public sealed record AccountView(long Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt,
        DateTimeOffset? DisabledAt, string? DisabledReason, bool IsMe, DateTimeOffset? DeletedAt = null);

    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "role")] public string? Role { get; set; }
    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<AccountView> Accounts { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;
    public TimeSpan InviteLifetime => accountOptions.Value.AdminInviteLifetime;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostDisableAsync(long userId, string? reason, CancellationToken ct)
    {
        var outcome = await access.DisableAsync(userId, reason, User.UserId(), ct);
        if (outcome.Refusal == AccountRefusal.NoSuchAccount) return NotFound();
        if (!outcome.Succeeded) return await RefuseAsync(Refused(outcome), ct);
        Message = localizer["{0} is disabled and signed out everywhere.", outcome.Email ?? ""];
        return RedirectToList();
    }

    public async Task<IActionResult> OnPostEnableAsync(long userId, CancellationToken ct)
    {
        var outcome = await access.EnableAsync(userId, User.UserId(), ct);
        if (outcome.Refusal == AccountRefusal.NoSuchAccount) return NotFound();
        if (!outcome.Succeeded) return await RefuseAsync(Refused(outcome), ct);
        Message = localizer["{0} can sign in again.", outcome.Email ?? ""];
        return RedirectToList();
    }

    /// <summary>
    /// Invites another admin by email (<see cref="AdminInvites"/>): the link, with its one-time token, goes only into the
    /// email; the invitee opens it to set a name and password (or, with an account already, to sign in and accept).
    /// </summary>
    public async Task<IActionResult> OnPostInviteAsync(string? inviteEmail, CancellationToken ct)
    {
        var outcome = await invites.InviteAsync(inviteEmail, User.UserId(), ct);
        if (!outcome.Succeeded)
        {
            return await RefuseAsync(outcome.Refusal switch
            {
                InviteRefusal.InvalidEmail => localizer["Enter a valid email address."],
                InviteRefusal.AlreadyAdmin => localizer["{0} is already an admin.", outcome.Email],
                _ => localizer["Only admins can invite admins."],
            }, ct);
        }
        var link = site.Value.Absolute(Url.Page("/Account/AcceptInvite", new { area = "", token = outcome.Token })!);
        var expires = TaobaoAlliance.Attribution.ChinaTime.Format(outcome.ExpiresAt);
        await email.SendAsync(outcome.Email, localizer["You are invited to be an admin of TaobaoAlliance"],
            $"<p>{HtmlEncoder.Default.Encode(localizer["An admin of TaobaoAlliance invites you to help run the platform. Open this link to accept (it works once, until {0} China time):", expires])}</p>"
            + $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p>"
            + $"<p>{HtmlEncoder.Default.Encode(localizer["If you did not expect this, ignore this email."])}</p>", ct);
        Message = localizer["An invitation was sent to {0}. The link works once, until {1}.", outcome.Email, expires];
        return RedirectToList();
    }

    private RedirectToPageResult RedirectToList() => RedirectToPage(new { q = Search, role = Role, status = Status, p = PageNumber });

    private string Refused(AccountOutcome outcome) => outcome.Refusal switch
    {
        AccountRefusal.OwnAccount => localizer["You cannot disable your own account."],
        AccountRefusal.ReasonRequired => localizer["Give a reason for disabling the account."],
        AccountRefusal.ReasonTooLong => localizer["The reason can be at most {0} characters.", AccountAccess.MaxReasonLength],
        AccountRefusal.AlreadyDisabled => localizer["{0} is already disabled.", outcome.Email ?? ""],
        AccountRefusal.NotDisabled => localizer["{0} is not disabled.", outcome.Email ?? ""],
        AccountRefusal.Deleted => localizer["This account was deleted by its owner; it cannot be enabled."],
        _ => localizer["The account changed meanwhile; nothing was saved. Try again."],
    };

    private async Task<IActionResult> RefuseAsync(string message, CancellationToken ct)
    {
        ModelState.AddModelError("", message);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var pattern = SearchPattern.Containing(Search);
            query = query.Where(u => EF.Functions.ILike(u.Email!, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }
        if (Role is not null && Roles.All.Contains(Role))
        {
            var roleId = await db.Roles.Where(r => r.Name == Role).Select(r => r.Id).SingleOrDefaultAsync(ct);
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId));
        }
        else
        {
            Role = null;
        }
        query = Status switch
        {
            "disabled" => query.Where(u => u.DisabledAt != null),
            "active" => query.Where(u => u.DisabledAt == null),
            _ => query,
        };

        Pager = new Pager(PageNumber, PageSize, await query.CountAsync(ct), "/Admin/Accounts",
            new Dictionary<string, string?> { ["q"] = Search, ["role"] = Role, ["status"] = Status });
        var rows = await query.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id)
            .Skip(Pager.Skip).Take(PageSize)
            .Select(u => new { u.Id, Email = u.Email ?? "", u.DisplayName, u.CreatedAt, u.DisabledAt, u.DeletedAt })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var roles = (await db.UserRoles.Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name ?? "");

        // The reason of the latest disabling lives in the audit log.
        var disabledIds = rows.Where(r => r.DisabledAt is not null).Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var reasons = (await db.AuditLog.AsNoTracking()
                .Where(a => a.Action == "account.disable" && a.EntityType == "user" && disabledIds.Contains(a.EntityId))
                .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
                .Select(a => new { a.EntityId, a.Details })
                .ToListAsync(ct))
            .GroupBy(a => a.EntityId)
            .ToDictionary(g => g.Key, g => ReasonOf(g.First().Details));

        var me = User.UserId();
        Accounts = rows.Select(r => new AccountView(r.Id, r.Email, r.DisplayName, roles[r.Id].Order(StringComparer.Ordinal).ToList(), r.CreatedAt,
            r.DisabledAt, reasons.GetValueOrDefault(r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), r.Id == me, r.DeletedAt)).ToList();
    }

    private static string? ReasonOf(string? details)
    {
        if (details is null) return null;
        using var json = JsonDocument.Parse(details);
        return json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
    }
}
