using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Accounts;

/// <summary>
/// Every account with its roles, when it was created and whether it is disabled; search by email or
/// name. Disabling refuses sign-in from then on (the sign-in page checks it, and the lockout end is set
/// far ahead for any other way in) and ends the account's sessions by changing its security stamp.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, AuditTrail audit, UserManager<AllianceUser> users, TimeProvider clock,
    IStringLocalizer<SharedResource> localizer, ILogger<IndexModel> logger) : PageModel
{
    public const int PageSize = 25;
    public const int MaxReasonLength = 1000;

    /// <summary>Lockout end of a disabled account: far enough ahead to mean "until an admin enables it".</summary>
    public static readonly DateTimeOffset DisabledLockoutEnd = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record AccountView(long Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt,
        DateTimeOffset? DisabledAt, string? DisabledReason, bool IsMe);

    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "role")] public string? Role { get; set; }
    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = Pager.PageParameter)] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<AccountView> Accounts { get; private set; } = [];
    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostDisableAsync(long userId, string? reason, CancellationToken ct)
    {
        reason = reason?.Trim();
        var adminId = User.UserId();
        if (userId == adminId) return await RefuseAsync(localizer["You cannot disable your own account."], ct);
        if (string.IsNullOrEmpty(reason)) return await RefuseAsync(localizer["Give a reason for disabling the account."], ct);
        if (reason.Length > MaxReasonLength) return await RefuseAsync(localizer["The reason can be at most {0} characters.", MaxReasonLength], ct);

        var user = await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is null) return NotFound();
        if (user.DisabledAt is not null) return await RefuseAsync(localizer["{0} is already disabled.", user.Email ?? ""], ct);

        var now = clock.GetUtcNow();
        user.DisabledAt = now;
        user.LockoutEnabled = true;
        user.LockoutEnd = DisabledLockoutEnd;
        audit.Record(adminId, "account.disable", "user", user.Id, new { user.Email, reason });
        // A new security stamp makes the cookie validator sign the account's browsers out; the same
        // SaveChanges writes the user and the audit row.
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded) return await FailedAsync(result, ct);
        logger.LogWarning("Account {UserId} disabled by admin {AdminUserId}", user.Id, adminId);
        Message = localizer["{0} is disabled and signed out everywhere.", user.Email ?? ""];
        return RedirectToList();
    }

    public async Task<IActionResult> OnPostEnableAsync(long userId, CancellationToken ct)
    {
        var adminId = User.UserId();
        var user = await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is null) return NotFound();
        if (user.DisabledAt is null) return await RefuseAsync(localizer["{0} is not disabled.", user.Email ?? ""], ct);

        var now = clock.GetUtcNow();
        user.DisabledAt = null;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        audit.Record(adminId, "account.enable", "user", user.Id, new { user.Email });
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded) return await FailedAsync(result, ct);
        logger.LogInformation("Account {UserId} enabled by admin {AdminUserId}", user.Id, adminId);
        Message = localizer["{0} can sign in again.", user.Email ?? ""];
        return RedirectToList();
    }

    private RedirectToPageResult RedirectToList() => RedirectToPage(new { q = Search, role = Role, status = Status, p = PageNumber });

    private async Task<IActionResult> FailedAsync(IdentityResult result, CancellationToken ct)
    {
        // Typically a concurrent change of the same user (optimistic concurrency): nothing was saved.
        db.ChangeTracker.Clear();
        logger.LogWarning("Account change refused by Identity: {Errors}", string.Join("; ", result.Errors.Select(e => e.Code)));
        return await RefuseAsync(localizer["The account changed meanwhile; nothing was saved. Try again."], ct);
    }

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
            .Select(u => new { u.Id, Email = u.Email ?? "", u.DisplayName, u.CreatedAt, u.DisabledAt })
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
            r.DisabledAt, reasons.GetValueOrDefault(r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), r.Id == me)).ToList();
    }

    private static string? ReasonOf(string? details)
    {
        if (details is null) return null;
        using var json = JsonDocument.Parse(details);
        return json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
    }
}
