using System.Globalization;
using System.Text.Json;
using TaobaoAlliance.Data.Audit;

namespace TaobaoAlliance.Web.Admin;

/// <summary>Builds the audit rows of admin actions, with their details as JSON.</summary>
public static class AuditEntries
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AuditLogEntry Create(DateTimeOffset at, long actorUserId, string action, string entityType, long entityId, object details) =>
        Create(at, actorUserId, action, entityType, entityId.ToString(CultureInfo.InvariantCulture), details);

    public static AuditLogEntry Create(DateTimeOffset at, long actorUserId, string action, string entityType, string entityId, object details) =>
        new()
        {
            At = at,
            ActorUserId = actorUserId,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Details = JsonSerializer.Serialize(details, Json),
        };
}
