-- A person's time zone may be left to the organisation's (an empty value), which admins
-- set. Until now everyone was on UTC, the organisation's zone until an admin picks one,
-- so what people see does not change.
UPDATE users SET time_zone = '' WHERE time_zone = 'UTC';
